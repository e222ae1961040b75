// HTTP probe: status (one or a list), body regex, a JSON value at a path, request headers.
// Redirects are never followed: a health check that silently lands on a login page or on the old
// region would pass for the wrong reason, so a 3xx is reported with its Location.
import type { CheckConfig } from '../../core/config/schema.js';
import { UserError } from '../../core/errors.js';
import { parseJsonPath, readJsonPath } from '../json-path.js';
import { looksSecret, redactUrl, scrub, splitCredentials } from '../redact.js';
import type { Probe, ProbeOutcome } from '../types.js';
import { describeNetworkError } from './errors.js';

export type HttpProbeConfig = NonNullable<CheckConfig['http']>;

export function createHttpProbe(cfg: HttpProbeConfig): Probe {
  const { url, authorization, secrets } = parseHttpUrl(cfg.url);
  const headers: Record<string, string> = { ...(cfg.headers ?? {}) };
  if (authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    headers.authorization = authorization;
  }
  for (const [name, value] of Object.entries(cfg.headers ?? {})) {
    // `Bearer abc`: the credential is the last word; the scheme name is not secret.
    if (looksSecret(name)) secrets.push(value, value.trim().split(/\s+/).at(-1) ?? value);
  }
  const expected = Array.isArray(cfg.status) ? cfg.status : [cfg.status];
  const bodyPattern = cfg.body === undefined ? undefined : compileRegex(cfg.body);
  const jsonPath = cfg.json ? parseJsonPath(cfg.json.path) : undefined;
  const method = cfg.method ?? 'GET';
  const clean = (text: string) => scrub(text, secrets);

  return {
    kind: 'http',
    describe: `${method} ${redactUrl(cfg.url)}`,
    async attempt(signal: AbortSignal): Promise<ProbeOutcome> {
      let res: Response;
      try {
        res = await fetch(url, { method, headers, redirect: 'manual', signal });
      } catch (err: unknown) {
        return { ok: false, observed: 'no response', error: clean(describeNetworkError(err)) };
      }
      let observed = `HTTP ${res.status}`;
      if (!expected.includes(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location !== null) {
          const where = redactUrl(new URL(location, url).toString());
          return {
            ok: false,
            observed: clean(`${observed} → ${where}`),
            error: clean(`redirected to ${where}; redirects are not followed (probe the final URL)`),
          };
        }
        return { ok: false, observed, error: `expected status ${expected.join(' or ')}, got ${res.status}` };
      }
      if (bodyPattern === undefined && jsonPath === undefined) {
        await res.body?.cancel().catch(() => undefined);
        return { ok: true, observed };
      }
      let body: string;
      try {
        body = await res.text();
      } catch (err: unknown) {
        return { ok: false, observed, error: clean(`reading the body failed: ${describeNetworkError(err)}`) };
      }
      if (bodyPattern && !bodyPattern.test(body)) {
        return {
          ok: false,
          observed: `${observed}, ${body.length} bytes`,
          error: `body does not match /${cfg.body}/`,
        };
      }
      if (jsonPath && cfg.json) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          return { ok: false, observed: `${observed}, not JSON`, error: 'body is not JSON' };
        }
        const found = readJsonPath(parsed, jsonPath);
        if (!found.found) {
          return {
            ok: false,
            observed: `${observed}, ${cfg.json.path} missing`,
            error: `no value at ${cfg.json.path}`,
          };
        }
        const shown = clean(short(JSON.stringify(found.value) ?? String(found.value)));
        observed = `${observed}, ${cfg.json.path} = ${shown}`;
        if (found.value !== cfg.json.equals) {
          return {
            ok: false,
            observed,
            error: `expected ${cfg.json.path} = ${JSON.stringify(cfg.json.equals)}`,
          };
        }
      }
      return { ok: true, observed };
    },
  };
}

/** Validates an http(s) URL and moves any userinfo into an Authorization header. */
export function parseHttpUrl(text: string): ReturnType<typeof splitCredentials> {
  let parts: ReturnType<typeof splitCredentials>;
  try {
    parts = splitCredentials(text);
  } catch {
    throw new UserError(`"${redactUrl(text)}" is not a URL`);
  }
  if (parts.url.protocol !== 'http:' && parts.url.protocol !== 'https:') {
    throw new UserError(`"${redactUrl(text)}" must be an http:// or https:// URL`);
  }
  return parts;
}

function compileRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err: unknown) {
    throw new UserError(
      `body pattern /${source}/ is not a valid regular expression: ${(err as Error).message}`,
    );
  }
}

function short(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
