// Every answer of the in-memory GitHub, success or error, is valid against the response schema GitHub's
// OpenAPI description (@octokit/openapi, dev dependency) declares for its route, method and status. The
// answers come from the port's own traffic (record.ts) and from a driver for every other route and error
// (drive-memory-github.ts), all over HTTP to the real server. Every route in the double's table must be
// among them, so a route added later cannot skip the check.
import { beforeAll, describe, expect, it } from 'vitest';
import { matchRestRoute, NOT_ACCESSIBLE, REST_ROUTES } from '../../src/memory-github/rest.js';
import { recordEveryRoute } from './drive-memory-github.js';
import { ResponseValidator, withNullables } from './openapi-responses.js';
import { type RestCall, recordPortTraffic } from './record.js';

let calls: RestCall[];
let validator: ResponseValidator;

beforeAll(async () => {
  const [port, driven] = await Promise.all([recordPortTraffic(), recordEveryRoute()]);
  calls = [...port.rest, ...driven.rest];
  validator = new ResponseValidator();
}, 120_000);

/** `GET /repos/{owner}/{repo}/pulls` → method and template. */
function split(route: string): [string, string] {
  const at = route.indexOf(' ');
  return [route.slice(0, at), route.slice(at + 1)];
}

const key = (method: string, template: string) => `${method} ${template}`;

describe('the in-memory GitHub answers as GitHub describes', () => {
  it('every answer validates against its route, method and status in GitHub’s OpenAPI description', () => {
    const problems: string[] = [];
    const checked = new Map<string, number>();
    for (const c of calls) {
      const [method, template] = split(c.route);
      const verdict = validator.check(method, template, c.status, c.data);
      checked.set(verdict.against, (checked.get(verdict.against) ?? 0) + 1);
      for (const e of verdict.errors.slice(0, 5)) problems.push(`${c.route} → ${c.status}: ${e}`);
    }
    expect([...new Set(problems)]).toEqual([]);
    expect(calls.length).toBeGreaterThan(100);
    console.info(`${calls.length} answers validated:`, Object.fromEntries(checked));
  });

  it('every route in the double’s table is one GitHub describes, and was answered above', () => {
    const answered = new Set<string>();
    for (const c of calls) {
      const matched = matchRestRoute(c.method, c.path);
      if (matched) answered.add(key(matched.route.method, matched.route.template));
    }
    expect(REST_ROUTES.length).toBeGreaterThan(30);
    const undescribed = REST_ROUTES.filter((r) => !validator.operation(r.method, r.template));
    expect(undescribed).toEqual([]);
    expect(REST_ROUTES.filter((r) => !answered.has(key(r.method, r.template)))).toEqual([]);
  });

  it('every call was served by the table route GitHub names the same way (or by no route at all)', () => {
    const mismatched = calls
      .map((c) => ({ c, matched: matchRestRoute(c.method, c.path) }))
      .filter(({ c, matched }) =>
        matched ? key(matched.route.method, matched.route.template) !== c.route : c.status !== 404,
      )
      .map(({ c }) => `${c.route} (${c.path})`);
    expect(mismatched).toEqual([]);
  });

  it('the error answers are among those checked: 400, 403, 404, 405, 409, 422 and a 502', () => {
    const statuses = new Set(calls.map((c) => c.status));
    for (const status of [400, 403, 404, 405, 409, 422, 502]) expect(statuses).toContain(status);
    const notAccessible = calls.filter((c) => (c.data as { message?: string })?.message === NOT_ACCESSIBLE);
    expect(notAccessible.map((c) => c.route)).toEqual(
      expect.arrayContaining([
        'GET /repos/{owner}/{repo}/pulls',
        'POST /repos/{owner}/{repo}/check-runs',
        'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
      ]),
    );
  });
});

describe('the response check itself', () => {
  const pullRoute = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
  const aPull = () => {
    const found = calls.find((c) => c.route === pullRoute && c.status === 200);
    return structuredClone(found?.data) as Record<string, unknown>;
  };

  it('catches a missing required field, deep or shallow', () => {
    const [method, template] = split(pullRoute);
    expect(validator.check(method, template, 200, aPull()).errors).toEqual([]);
    const shallow = aPull();
    delete shallow.node_id;
    expect(validator.check(method, template, 200, shallow).errors.join()).toContain("'node_id'");
    const deep = aPull();
    delete (deep.user as Record<string, unknown>).avatar_url;
    expect(validator.check(method, template, 200, deep).errors.join()).toContain("'avatar_url'");
  });

  it('takes OpenAPI’s nullable as "null allowed" and nothing more', () => {
    const [method, template] = split(pullRoute);
    const pull = aPull();
    pull.merged_at = null;
    pull.milestone = null;
    expect(validator.check(method, template, 200, pull).errors).toEqual([]);
    pull.title = null;
    pull.merged_at = 5;
    const errors = validator.check(method, template, 200, pull).errors.join('\n');
    expect(errors).toContain('/title');
    expect(errors).toContain('/merged_at');
    expect(withNullables({ type: 'string', enum: ['a'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
  });

  it('reaches schemas declared inline on a route, for lists and for errors', () => {
    expect(validator.check('GET', '/repos/{owner}/{repo}/pulls', 200, [{}]).errors.join()).toContain(
      "'node_id'",
    );
    const merge = '/repos/{owner}/{repo}/pulls/{pull_number}/merge';
    const errors = validator.check('PUT', merge, 405, { message: 5, documentation_url: 'x' }).errors;
    expect(errors.join()).toContain('/message must be string');
  });

  it('holds error answers to GitHub’s error shape, and a success to a declared status', () => {
    expect(
      validator.check('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 404, { message: 'x' }).errors,
    ).toEqual(['error body lacks documentation_url']);
    expect(validator.check('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 201, {}).errors).toEqual([
      'undeclared status 201',
    ]);
  });
});
