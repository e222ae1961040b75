// Strict credentials: GitHub answers 401 "Bad credentials" to a token it never issued. The sandbox turns
// this on, so a client that is not part of it (another program on this machine that kept an old
// in-memory GitHub's URL, now served by this one on a reused port) cannot write into its repo. Without
// it, the in-memory GitHub takes any token, as the tests' doubles always have.
import { createPublicKey, createVerify, type KeyObject, randomBytes } from 'node:crypto';

export interface StrictCredentials {
  /** The app's public key: app JWTs must be signed with its private key (RS256), and unexpired. */
  appPublicKey: string;
  /** Tokens a workflow job may carry (GITHUB_TOKEN), besides installation and personal tokens. */
  actionsTokens?: readonly string[];
}

/** Tokens one in-memory GitHub issued: random per instance, so another instance's are unknown here. */
export class IssuedTokens {
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly issued = new Set<string>();

  /** A fresh installation token; it ends in `_<installation id>`, as the routes read it. */
  mint(prefix: string, installationId: number): string {
    const token = `${prefix}_${this.nonce}_${installationId}`;
    this.issued.add(token);
    return token;
  }

  has(token: string): boolean {
    return this.issued.has(token);
  }
}

/** Decides whether a request's credentials are ones this GitHub knows. */
export function credentialChecker(
  strict: StrictCredentials,
  known: { issued: IssuedTokens; people: ReadonlyMap<string, unknown> },
  now: () => number = Date.now,
): (authorization: string | undefined) => boolean {
  const key = createPublicKey(strict.appPublicKey);
  const actions = new Set(strict.actionsTokens ?? []);
  return (authorization) => {
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return false;
    if (known.issued.has(token) || known.people.has(token) || actions.has(token)) return true;
    return validAppJwt(token, key, now());
  };
}

/** An RS256 JWT signed by the app's key whose `exp` has not passed (GitHub allows at most 10 minutes). */
function validAppJwt(token: string, key: KeyObject, nowMs: number): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  try {
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    if (alg !== 'RS256') return false;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(key, Buffer.from(signature, 'base64url'))) return false;
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && exp * 1000 > nowMs;
  } catch {
    return false;
  }
}
