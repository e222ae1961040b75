// Property: any comment body gives an answer (never a throw), and every command it yields names only
// services and targets that exist in the config.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseComment } from '../../../src/core/chatops/index.js';
import { FORCEABLE_RULES } from '../../../src/core/types.js';
import { multiConfig, singleConfig } from './config.js';

/** Fragments that steer random text toward the grammar, so the interesting paths are reached often. */
const fragment = fc.constantFrom(
  '/failover',
  '/failback',
  '/Failover',
  '/failvoer',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '>',
  '```',
  '~~~',
  '<!--',
  '-->',
  'status',
  'cancel',
  'help',
  'drill',
  'failback',
  'checkout',
  'search',
  'payments',
  'us-west-2',
  'us-east-1',
  'green',
  '--reason',
  '--force',
  '--reason=',
  '"',
  "'",
  '“',
  '”',
  '\\',
  'cooldown',
  'target-alerting',
  '../',
  'a/b',
  '`',
  '--',
  '-',
  '=',
  '__proto__',
  'constructor',
  'toString',
);
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(fragment, fc.string({ maxLength: 4 })), { maxLength: 30 }).map((parts) => parts.join('')),
  fc
    .array(fc.oneof(fragment, fc.string({ maxLength: 3 })), { maxLength: 12 })
    .map((parts) => parts.join(' ')),
);

describe('parseComment property', () => {
  it('random bodies never throw and commands only name what the config has', () => {
    fc.assert(
      fc.property(
        body,
        fc.boolean(),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
        (text, single, pr) => {
          const config = single ? singleConfig : multiConfig;
          const result = parseComment(text, config, { prServices: pr });
          if (result.type === 'reply') {
            expect(result.message.length).toBeGreaterThan(0);
          }
          if (result.type === 'command') {
            const c = result.command;
            const names = [...Object.keys(config.services), ...Object.keys(config.groups)];
            if ('service' in c && c.service !== undefined) expect(names).toContain(c.service);
            if ('target' in c) {
              const all = Object.values(config.services).flatMap((s) => s.targets);
              expect(all).toContain(c.target);
            }
            if ('force' in c && c.force !== undefined) {
              expect(FORCEABLE_RULES).toContain(c.force);
              expect(c.reason?.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
