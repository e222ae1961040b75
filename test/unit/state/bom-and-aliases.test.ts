// A state file with a UTF-8 BOM is read, edited and safety-checked the same way; the YAML alias limit is
// one number for the config, state reads, edits and the safety check.
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, parseConfig } from '../../../src/core/config/load.js';
import { configSchema } from '../../../src/core/config/schema.js';
import { checkChange } from '../../../src/core/policy/safety.js';
import { editState, readStateValue, stateDocument } from '../../../src/core/state/index.js';
import { YAML_MAX_ALIAS_COUNT } from '../../../src/core/yaml-limits.js';

const BOM = '\uFEFF';

function service(file: string) {
  return configSchema.parse({
    version: 1,
    services: { checkout: { targets: ['us-east-1', 'us-west-2'], state: { file, key: 'checkout_region' } } },
  }).services.checkout!;
}

describe('a UTF-8 BOM', () => {
  it.each([
    ['envs/prod/failover.auto.tfvars.json', `${BOM}{\n  "checkout_region": "us-east-1",\n  "other": 1\n}\n`],
    ['envs/prod/state.yaml', `${BOM}checkout_region: us-east-1\nother: 1\n`],
  ])('%s: read, edit and the safety check agree, and the BOM is kept', (file, text) => {
    expect(readStateValue(file, text, 'checkout_region')).toBe('us-east-1');
    const edit = editState(file, text, 'checkout_region', 'us-west-2');
    expect(edit.newText.startsWith(BOM)).toBe(true);
    expect(readStateValue(file, edit.newText, 'checkout_region')).toBe('us-west-2');
    expect(stateDocument(file, text)).toEqual({ checkout_region: 'us-east-1', other: 1 });
    const check = checkChange('checkout', service(file), text, 'us-west-2');
    expect(check.rule).toMatchObject({ rule: 'safety', ok: true });
    expect(check.edit?.newText).toBe(edit.newText);
  });
});

describe('the YAML alias limit', () => {
  const bomb = (n: number) =>
    `base: &b [x]\nlist: [${Array.from({ length: n }, () => '*b').join(', ')}]\ncheckout_region: us-east-1\n`;

  it('is one number: the config loader uses the same limit as state files', () => {
    expect(MAX_ALIAS_COUNT).toBe(YAML_MAX_ALIAS_COUNT);
  });

  it('a state file within the limit is read, edited and checked; one past it is refused by all three', () => {
    const file = 'envs/prod/state.yaml';
    const fine = bomb(10);
    expect(readStateValue(file, fine, 'checkout_region')).toBe('us-east-1');
    expect(checkChange('checkout', service(file), fine, 'us-west-2').rule.ok).toBe(true);

    const tooMany = bomb(YAML_MAX_ALIAS_COUNT * 2);
    expect(() => stateDocument(file, tooMany)).toThrow();
    expect(() => editState(file, tooMany, 'checkout_region', 'us-west-2')).toThrow();
    expect(checkChange('checkout', service(file), tooMany, 'us-west-2').rule.ok).toBe(false);
  });

  it('the config refuses the same excess of aliases', () => {
    const config = `version: 1\nx-checks: &c [x]\nx-list: [${Array.from({ length: YAML_MAX_ALIAS_COUNT * 2 }, () => '*c').join(', ')}]\nservices: {}\n`;
    expect(() => parseConfig(config)).toThrow(/too many alias/);
  });
});
