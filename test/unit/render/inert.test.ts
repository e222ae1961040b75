// Outside text made inert for GitHub: no markup, markers, mentions, images or links; capped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capEcho, cell, code, inert, safeHref } from '../../../src/core/render/text.js';

describe('inert', () => {
  it.each([
    ['<!-- gitops-failover:timeline -->', '&lt;!-- gitops-failover:timeline --&gt;'],
    ['ping @octocat and @acme/sre', 'ping @\u200boctocat and @\u200bacme/sre'],
    ['![x](https://evil.example/x.png)', '!\\[x\\](https:\u200b//evil.example/x.png)'],
    ['[click](javascript:alert(1))', '\\[click\\](javascript:alert(1))'],
    ['see www.evil.example', 'see www\u200b.evil.example'],
    ['&#64;octocat', '&amp;#64;octocat'],
    ['\\[not a link]', '\\\\\\[not a link\\]'],
    ['two\nlines\u2028here', 'two lines here'],
    ['`code`', '\\`code\\`'],
  ])('%j → %j', (input, expected) => {
    expect(inert(input)).toBe(expected);
  });

  it('property: no output can spell a marker, an HTML tag, a mention, an autolink or a link', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (input) => {
        const out = inert(input);
        expect(out).not.toMatch(/[<>\r\n]/);
        expect(out).not.toMatch(/@(?!\u200b)/);
        expect(out).not.toMatch(/:\/\//);
        // Every [ or ] is escaped by an odd run of backslashes.
        for (const m of out.matchAll(/(\\*)[[\]]/g)) expect((m[1] ?? '').length % 2).toBe(1);
      }),
    );
  });

  it('caps echoed input and says how much was cut', () => {
    const long = 'x'.repeat(10_000);
    expect(inert(long).length).toBeLessThan(400);
    expect(capEcho(long)).toContain('(9700 more characters)');
    expect(cell('a|b')).toBe('a\\|b');
  });
});

describe('code', () => {
  it('cannot spell a marker in the raw body', () => {
    expect(code('<!-- gitops-failover {} -->')).not.toContain('<!--');
    expect(code('a `b` c')).toBe('``a `b` c``');
  });
});

describe('safeHref', () => {
  it.each([
    ['https://grafana.example.com/d/x?a=1', 'https://grafana.example.com/d/x?a=1'],
    [
      'http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22x%22%7D',
      'http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22x%22%7D',
    ],
    ['https://x.example/a(b)', 'https://x.example/a%28b%29'],
    ['https://x.example/<!--', 'https://x.example/%3C!--'],
  ])('%s → %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
  it.each([
    'javascript:alert(1)',
    'data:text/html,x',
    'ftp://x',
    'https://user:pw@x.example/',
    'not a url',
    undefined,
  ])('refuses %s', (input) => {
    expect(safeHref(input)).toBeUndefined();
  });
});
