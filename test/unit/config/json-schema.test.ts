import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJsonSchema, SCHEMA_ID } from '../../../scripts/generate-schema.js';

describe('schema/failover.schema.json', () => {
  const committed = readFileSync('schema/failover.schema.json', 'utf8');

  it('is what the zod schema generates (run npm run schema when this fails)', () => {
    expect(committed).toBe(renderJsonSchema());
  });

  it('is a draft 2020-12 schema with an id, title and description', () => {
    const schema = JSON.parse(committed) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(schema.title).toMatch(/failover\.yml/);
    expect(schema.required).toEqual(['version', 'services']);
  });

  it('describes inputs: defaulted keys are optional, with their defaults shown', () => {
    interface Node {
      required?: string[];
      default?: unknown;
      enum?: unknown[];
      properties: Record<string, Node>;
      additionalProperties: Node;
    }
    const schema = JSON.parse(committed) as Node;
    const service = schema.properties.services!.additionalProperties;
    expect(service.required).toEqual(['targets', 'state']);
    expect(service.properties.mode?.default).toBe('active-passive');
    expect(service.properties.automation?.properties.on_alert?.enum).toEqual(['off', 'pr', 'merge']);
  });

  it('is referenced by the example config', () => {
    const example = readFileSync('examples/infra-repo/.github/failover.yml', 'utf8');
    expect(example.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_ID}`);
  });
});
