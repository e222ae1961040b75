import { describe, expect, it } from 'vitest';
import { StateFileError } from '../../../src/core/errors.js';
import { editState, readStateValue } from '../../../src/core/state/index.js';
import { applyPatch } from './apply-patch.js';

function roundTrip(path: string, oldText: string, key: string, value: unknown, expected: string) {
  const edit = editState(path, oldText, key, value);
  expect(edit.newText).toBe(expected);
  expect(applyPatch(oldText, edit.diff)).toBe(expected);
  expect(readStateValue(path, edit.newText, key)).toEqual(value);
  return edit;
}

const COMMENTED = `# Desired state for prod. Edited by gitops-failover; humans welcome.
# yaml-language-server: $schema=./state.schema.json

checkout:
  # which region serves traffic
  active_region: us-east-1   # primary is us-east-1
  replicas: 3

payments:
    active_region: 'us-east-1'
    note: "keep quoted"
# trailing comment
`;

describe('editState on YAML keeps comments and style', () => {
  it('plain scalar with an inline comment on the same line', () => {
    roundTrip(
      'envs/prod/state.yaml',
      COMMENTED,
      'checkout.active_region',
      'us-west-2',
      COMMENTED.replace('active_region: us-east-1   # primary', 'active_region: us-west-2   # primary'),
    );
  });

  it('single-quoted scalar stays single-quoted (4-space indent block)', () => {
    roundTrip(
      'envs/prod/state.yml',
      COMMENTED,
      'payments.active_region',
      'us-west-2',
      COMMENTED.replace("active_region: 'us-east-1'", "active_region: 'us-west-2'"),
    );
  });

  it('double-quoted scalar stays double-quoted', () => {
    roundTrip('s.yaml', 'a: "x" # c\n', 'a', 'y z', 'a: "y z" # c\n');
  });

  it('a plain value that YAML would read as another type is quoted', () => {
    roundTrip('s.yaml', 'a: x\n', 'a', 'true', 'a: "true"\n');
    roundTrip('s.yaml', 'a: x\n', 'a', '1.5', 'a: "1.5"\n');
    roundTrip('s.yaml', 'a: x\n', 'a', 'a: b', 'a: "a: b"\n');
    roundTrip('s.yaml', 'a: x\n', 'a', 'no', 'a: "no"\n'); // YAML 1.1 boolean (the Norway problem)
    roundTrip('s.yaml', 'a: x\n', 'a', 'eu-north-1', 'a: eu-north-1\n');
  });

  it('single quotes inside a single-quoted value are doubled', () => {
    roundTrip('s.yaml', "a: 'x'\n", 'a', "it's", "a: 'it''s'\n");
  });

  it('CRLF and no trailing newline', () => {
    roundTrip('s.yaml', '# c\r\nregion: a # why\r\nz: 1', 'region', 'b', '# c\r\nregion: b # why\r\nz: 1');
  });

  it('anchors and aliases elsewhere are untouched', () => {
    const text = 'defaults: &defaults\n  replicas: 2\nblue: *defaults\nregion: us-east-1\n';
    roundTrip('s.yaml', text, 'region', 'us-west-2', text.replace('region: us-east-1', 'region: us-west-2'));
  });

  it('a flow map inside a block map', () => {
    roundTrip('s.yaml', 'w: {a: 1, b: 2} # w\n', 'w', { a: 0, b: 3 }, 'w: {a: 0, b: 3} # w\n');
  });

  it('a key written with nothing after it (null) gets a value', () => {
    roundTrip('s.yaml', 'region:\nz: 1\n', 'region', 'a', 'region: a\nz: 1\n');
  });

  it('a tag and an anchor nobody aliases stay in front of the value', () => {
    roundTrip('s.yaml', 'region: !!str &r a\n', 'region', 'b', 'region: !!str &r b\n');
  });
});

describe('editState on YAML weighted maps', () => {
  const text = 'checkout_weights:\n  us-east-1: 50 # primary\n  us-west-2: 50\nother: x\n';

  it('same keys: only the numbers change, comments stay', () => {
    roundTrip(
      'w.yaml',
      text,
      'checkout_weights',
      { 'us-east-1': 0, 'us-west-2': 100 },
      'checkout_weights:\n  us-east-1: 0 # primary\n  us-west-2: 100\nother: x\n',
    );
  });

  it('different keys: rewritten as a block at the same indent', () => {
    roundTrip(
      'w.yaml',
      text,
      'checkout_weights',
      { 'us-east-1': 0, 'eu-west-1': 100 },
      'checkout_weights:\n  us-east-1: 0\n  eu-west-1: 100\nother: x\n',
    );
  });
});

describe('YAML refusals', () => {
  const refuses = (text: string, key: string, value: unknown, message: RegExp) => {
    expect(() => editState('s.yaml', text, key, value)).toThrow(StateFileError);
    expect(() => editState('s.yaml', text, key, value)).toThrow(message);
  };

  it('an edit through an aliased anchor would change other keys', () => {
    refuses('base: &b\n  region: a\nprod: *b\n', 'base.region', 'x', /aliased elsewhere/);
  });

  it('a key whose value is an alias', () => {
    refuses('base: &b a\nregion: *b\n', 'region', 'x', /is an alias \(\*b\)/);
  });

  it('duplicate keys', () => {
    refuses('region: a\nregion: b\n', 'region', 'x', /line 2, column 1: duplicate key/);
  });

  it('a file that does not parse names line and column', () => {
    refuses('a: [1, 2\nb: c\n', 'a', 'x', /does not parse as YAML at line \d+, column \d+/);
  });

  it('several documents', () => {
    refuses('a: 1\n---\na: 2\n', 'a', 2, /2 YAML documents/);
  });

  it('an empty file', () => {
    refuses('', 'a', 'x', /is empty/);
  });

  it('missing segment is named', () => {
    refuses('a:\n  b: 1\n', 'a.c', 2, /no "c" in "a"/);
  });

  it('value of the wrong kind', () => {
    refuses('w:\n  a: 1\n', 'w', 'a', /is an object, refusing to write a string/);
  });
});
