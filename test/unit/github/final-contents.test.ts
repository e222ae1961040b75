import { describe, expect, it } from 'vitest';
import { finalContents } from '../../../src/github/failover-pr.js';

describe('finalContents', () => {
  it('ships the last text of a path when a group chains edits to one state file', () => {
    const edits = [
      { path: 'envs/prod/state.json', oldText: 'a', newText: 'ab', diff: '' },
      { path: 'envs/prod/other.json', oldText: 'x', newText: 'y', diff: '' },
      { path: 'envs/prod/state.json', oldText: 'ab', newText: 'abc', diff: '' },
    ];
    expect(finalContents(edits)).toEqual([
      ['envs/prod/state.json', 'abc'],
      ['envs/prod/other.json', 'y'],
    ]);
  });
});
