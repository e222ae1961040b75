// The bot's signature on its markers: what verifies, what does not, and rotation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarker, renderMarker } from '../../../src/core/render/index.js';
import { checkMarker, type MarkerKeys, sealMarker } from '../../../src/core/render/marker-seal.js';
import { marker } from '../policy/world.js';

const KEY = 'k'.repeat(40);
const OLD = 'o'.repeat(40);
const keys: MarkerKeys = { current: KEY, previous: [] };
const REPO = 'acme/infra';
const body = (m = marker()) => `## Failover\n\nsome text\n\n${renderMarker(m)}`;

describe('sealMarker / checkMarker', () => {
  it('a sealed marker verifies for its repo and still parses for readers without a key', () => {
    const m = marker();
    const sealed = sealMarker(body(m), keys, REPO);
    expect(sealed).toMatch(/ sig=v1\.[A-Za-z0-9_-]{43} -->$/);
    expect(checkMarker(sealed, keys, REPO)).toEqual({ status: 'valid', marker: m, current: true });
    expect(checkMarker(sealed, keys, 'ACME/Infra').status).toBe('valid');
    expect(parseMarker(sealed)).toEqual(m);
  });

  it('refuses unsigned, altered, other-repo and other-key markers, and says which', () => {
    const sealed = sealMarker(body(), keys, REPO);
    expect(checkMarker(body(), keys, REPO)).toMatchObject({ status: 'unsigned' });
    const altered = sealed.replace('"us-west-2"', '"eu-west-1"');
    expect(altered).not.toBe(sealed);
    expect(checkMarker(altered, keys, REPO)).toMatchObject({ status: 'altered' });
    expect(checkMarker(sealed, keys, 'acme/other')).toMatchObject({ status: 'altered' });
    expect(checkMarker(sealed, { current: OLD, previous: [] }, REPO)).toMatchObject({ status: 'altered' });
    expect(checkMarker('no marker at all', keys, REPO)).toEqual({ status: 'absent' });
    expect(checkMarker(null, keys, REPO)).toEqual({ status: 'absent' });
  });

  it('a signature over JSON that is not a marker is malformed, not valid', () => {
    const json = '<!-- gitops-failover {"v":1} -->';
    expect(checkMarker(sealMarker(json, keys, REPO), keys, REPO)).toMatchObject({ status: 'malformed' });
  });

  it('rotation: a marker signed with a previous key verifies (not current); re-sealing signs with the new key', () => {
    const oldSealed = sealMarker(body(), { current: OLD, previous: [] }, REPO);
    const rotated: MarkerKeys = { current: KEY, previous: [OLD] };
    expect(checkMarker(oldSealed, rotated, REPO)).toMatchObject({ status: 'valid', current: false });
    const resealed = sealMarker(oldSealed, rotated, REPO);
    expect(checkMarker(resealed, keys, REPO)).toMatchObject({ status: 'valid', current: true });
    // Once the old key is dropped, what it signed no longer verifies.
    expect(checkMarker(oldSealed, keys, REPO)).toMatchObject({ status: 'altered' });
  });

  it('only the last marker counts: a signed marker quoted earlier in the body does not lend its signature', () => {
    const quoted = sealMarker(body(), keys, REPO);
    const forged = `${quoted}\n\n${renderMarker(marker({ changes: [{ service: 'checkout', from: 'x', to: 'y' }] }))}`;
    expect(checkMarker(forged, keys, REPO)).toMatchObject({ status: 'unsigned' });
  });

  it('property: any marker content round-trips through seal and check; any one-character change is refused', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), (by, command, at) => {
        const m = marker({ trigger: { type: 'command', by, command } });
        const sealed = sealMarker(body(m), keys, REPO);
        const check = checkMarker(sealed, keys, REPO);
        expect(check).toEqual({ status: 'valid', marker: m, current: true });
        const start = sealed.lastIndexOf('{');
        const i = start + 1 + (at % (sealed.lastIndexOf('}') - start - 1));
        const flipped = `${sealed.slice(0, i)}${sealed[i] === 'a' ? 'b' : 'a'}${sealed.slice(i + 1)}`;
        expect(checkMarker(flipped, keys, REPO).status).not.toBe('valid');
      }),
    );
  });
});
