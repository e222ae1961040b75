// Steady load through the entry point: one request every `intervalMs` on a fresh connection (so a
// reloaded HAProxy's new workers take it), recording which region answered or that none did.
import { request } from 'node:http';

export interface Sample {
  at: number;
  /** The region that answered 200, or undefined for an error / non-200. */
  region?: string;
  status: number;
}

export interface Load {
  samples: Sample[];
  stop(): Promise<void>;
}

function once(url: string): Promise<Omit<Sample, 'at'>> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        let region: string | undefined;
        try {
          region = res.statusCode === 200 ? (JSON.parse(body) as { region?: string }).region : undefined;
        } catch {
          region = undefined;
        }
        resolve({ status: res.statusCode ?? 0, ...(region ? { region } : {}) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0 }));
    req.end();
  });
}

export function startLoad(url: string, intervalMs = 50): Load {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      samples.push({ at, ...(await once(`${url}/checkout`)) });
      const wait = intervalMs - (Date.now() - at);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Requests per second per region (and errors), one bucket per whole second since `start`. */
export function perSecond(
  samples: Sample[],
  start: number,
): { second: number; counts: Record<string, number> }[] {
  const buckets = new Map<number, Record<string, number>>();
  for (const s of samples) {
    const second = Math.floor((s.at - start) / 1000);
    const counts = buckets.get(second) ?? {};
    const key = s.region ?? 'error';
    counts[key] = (counts[key] ?? 0) + 1;
    buckets.set(second, counts);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([second, counts]) => ({ second, counts }));
}
