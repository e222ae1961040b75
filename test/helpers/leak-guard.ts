// The test-wide secret guard. Tests (through their harnesses) register the secrets they hand the product,
// and everything the product writes where people can read it is captured here: the bot's log lines,
// every request body sent to GitHub (the in-memory GitHub or a nock-mocked api.github.com), the Action's
// job summary, outputs and log. After each test, test/helpers/setup.ts fails the test if any captured
// text contains a registered secret in any spelling. No vitest import: bundled into the replica child.

const known = new Set<string>([
  // The installation token the in-memory GitHub mints for the bot: a real one would be a live credential.
  'ghs_double_installation_token',
]);
const captured: { channel: string; text: string }[] = [];
/** Loopback origins that are a GitHub (the in-memory double); any other origin that is not loopback is too. */
const githubOrigins = new Set<string>();

/** Registers values the product must never write (shorter than 6 characters: too common to look for). */
export function knownSecret(...values: (string | undefined)[]): void {
  for (const value of values) if (value && value.trim().length >= 6) known.add(value.trim());
}

/** Records text the product wrote to a readable place: `log`, `github`, `summary`, `outputs`, `action-log`. */
export function captureOutgoing(channel: string, text: string): void {
  captured.push({ channel, text });
}

export function registerGitHubOrigin(url: string): void {
  githubOrigins.add(new URL(url).origin);
}

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])$/;

/** True for requests that go to GitHub: the registered doubles, or any host that is not loopback. */
export function isGitHubBound(url: URL): boolean {
  return githubOrigins.has(url.origin) || !LOOPBACK.test(url.hostname);
}

function spellings(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/** The leaks in everything captured since the last reset: "channel: secret abc…" per finding. */
export function findLeaks(): string[] {
  const found = new Set<string>();
  for (const { channel, text } of captured) {
    for (const secret of known) {
      if (spellings(secret).some((s) => text.includes(s))) {
        found.add(
          `${channel}: a registered secret (${secret.slice(0, 3)}…, ${secret.length} chars) was written`,
        );
      }
    }
  }
  return [...found];
}

/** Forgets captured text (each test starts clean); registered secrets stay, they are still secret. */
export function resetCaptured(): void {
  captured.length = 0;
}

/**
 * Wraps fetch so every body sent to GitHub is captured: Probot's and the Action's Octokit both use the
 * global fetch at request time, so this sees the bot's and the Action's GitHub traffic alike.
 */
export function captureGitHubFetch(): void {
  const original = globalThis.fetch;
  if ((original as { leakGuard?: boolean }).leakGuard) return;
  const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
    try {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const body = init?.body;
      if (isGitHubBound(url) && body !== undefined && body !== null) {
        const text =
          typeof body === 'string'
            ? body
            : body instanceof Uint8Array
              ? Buffer.from(body).toString('utf8')
              : '';
        captureOutgoing('github', `${init?.method ?? 'GET'} ${url.pathname}\n${text}`);
      }
    } catch {
      // Not a URL we can read: nothing to capture.
    }
    return original(input, init);
  }) as typeof fetch & { leakGuard?: boolean };
  wrapped.leakGuard = true;
  globalThis.fetch = wrapped;
}
