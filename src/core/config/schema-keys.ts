// Which keys the schema allows at a path: used to suggest "did you mean" for unknown keys. Walks zod's
// public schema definitions (`_zod.def`), unwrapping optional/default/pipe wrappers.
import type { z } from 'zod';
import type { PathSegment } from './yaml-locate.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The keys of the object schema found at `path`, or [] when there is none (records, scalars). */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    if (!current) return [];
    const def = defOf(unwrap(current));
    if (def.type === 'object') current = def.shape?.[String(segment)];
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else return [];
  }
  if (!current) return [];
  const def = defOf(unwrap(current));
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}
