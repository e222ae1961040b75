// Whatever JSON arrives, the normalisers either return well-formed signals or throw a PayloadError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSource, normaliseNotification, snsStringToSign } from '../../../src/core/alerts/index.js';
import { PayloadError } from '../../../src/core/errors.js';
import { ALERT_SOURCES, type AlertSource, type NormalisedNotification } from '../../../src/core/types.js';
import { alertFixturePaths, loadFixture } from './load-fixture.js';
import { stateChange } from './sample-events.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Runs the normaliser; returns the result, or undefined after checking the throw was a PayloadError. */
function attempt(body: unknown, source?: AlertSource): NormalisedNotification | undefined {
  try {
    return normaliseNotification(body, source);
  } catch (err: unknown) {
    if (!(err instanceof PayloadError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
    return undefined;
  }
}

function expectWellFormed(result: NormalisedNotification | undefined): void {
  if (!result) return;
  expect(ALERT_SOURCES).toContain(result.source);
  for (const signal of result.signals) {
    expect(['firing', 'resolved']).toContain(signal.status);
    expect(signal.startsAt).toMatch(ISO_UTC);
    if (signal.endsAt !== undefined) expect(signal.endsAt).toMatch(ISO_UTC);
    expect(typeof signal.fingerprint).toBe('string');
    for (const value of [...Object.values(signal.labels), ...Object.values(signal.annotations)]) {
      expect(typeof value).toBe('string');
    }
  }
}

type Step = string | number;

/** Every path to a value inside a JSON document (the root excluded). */
function pathsOf(value: unknown, prefix: Step[] = [], out: Step[][] = []): Step[][] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      pathsOf(item, [...prefix, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

/** Replaces (or deletes, when replacement is undefined) the value at path in a copy of doc. */
function mutate(doc: unknown, path: Step[], replacement: unknown): unknown {
  const copy = structuredClone(doc);
  // biome-ignore lint/suspicious/noExplicitAny: walks an arbitrary JSON document by path
  let parent: any = copy;
  for (const step of path.slice(0, -1)) parent = parent[step];
  const last = path[path.length - 1] as Step;
  if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** SNS fixtures carry the alarm as a JSON string: expose it as a document so it gets mutated too. */
function withParsedMessage(doc: unknown): unknown {
  const body = doc as Record<string, unknown>;
  if (typeof body.Message !== 'string') return doc;
  try {
    return { ...body, Message: JSON.parse(body.Message) };
  } catch {
    return doc;
  }
}

function withStringMessage(doc: unknown): unknown {
  const body = doc as Record<string, unknown>;
  return typeof body === 'object' && body !== null && typeof body.Message === 'object'
    ? { ...body, Message: JSON.stringify(body.Message) }
    : doc;
}

const fixtures = [
  ...alertFixturePaths().map((path) => withParsedMessage(loadFixture(path))),
  stateChange('ALARM', { alarmTags: { team: 'payments', severity: 'P1' } }),
];
const sourceArb = fc.option(fc.constantFrom(...ALERT_SOURCES), { nil: undefined });

/** Mostly a plausible value, sometimes anything (or nothing), so both outcomes keep being reached. */
const mostly = <T>(good: fc.Arbitrary<T>, anything: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 })) =>
  fc.oneof(
    { arbitrary: good as fc.Arbitrary<unknown>, weight: 12 },
    { arbitrary: anything, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
const isoTime = fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('2999-12-31') });

/** Azure Monitor common-schema bodies: every field usually right, sometimes anything or missing. */
const azureShaped = fc.record({
  schemaId: mostly(
    fc.constant('azureMonitorCommonAlertSchema'),
    fc.constantFrom('AzureMonitorMetricAlert', ''),
  ),
  data: mostly(
    fc.record({
      essentials: mostly(
        fc.record({
          alertId: mostly(
            fc.oneof(fc.string({ minLength: 1 }), fc.constant('/subscriptions/s/providers/x/alerts/1')),
          ),
          alertRule: mostly(fc.string({ minLength: 1 }).filter((t) => t.trim() !== '')),
          severity: mostly(fc.constantFrom('Sev0', 'Sev1', 'Sev2', 'Sev3', 'Sev4', 'sev2')),
          monitorCondition: mostly(fc.constantFrom('Fired', 'Resolved')),
          firedDateTime: mostly(
            isoTime.map((d) => d.toISOString()),
            fc.string(),
          ),
          resolvedDateTime: mostly(fc.option(isoTime.map((d) => d.toISOString()))),
          alertTargetIDs: mostly(fc.array(fc.string(), { maxLength: 8 })),
          configurationItems: mostly(fc.array(fc.string(), { maxLength: 8 })),
          targetResourceGroup: mostly(fc.string()),
          targetResourceRegion: mostly(fc.string()),
          investigationLink: mostly(fc.webUrl()),
        }),
      ),
      alertContext: mostly(
        fc.record({
          conditionType: fc.jsonValue({ maxDepth: 1 }),
          condition: fc.record({
            windowSize: fc.jsonValue({ maxDepth: 1 }),
            allOf: fc.jsonValue({ maxDepth: 4 }),
          }),
          properties: fc.jsonValue({ maxDepth: 2 }),
          labels: fc.jsonValue({ maxDepth: 2 }),
          annotations: fc.jsonValue({ maxDepth: 2 }),
        }),
      ),
      customProperties: mostly(fc.option(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())))),
    }),
  ),
});

describe('property: only PayloadError escapes', () => {
  it('for arbitrary JSON values, with and without a source', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), sourceArb, (body, source) => {
        expectWellFormed(attempt(body, source));
      }),
      { numRuns: 2000 },
    );
  });

  it('for arbitrary objects shaped a little like each source', () => {
    const shaped = fc.oneof(
      fc.record({
        status: fc.jsonValue(),
        alerts: fc.array(
          fc.dictionary(
            fc.constantFrom(
              'status',
              'labels',
              'annotations',
              'startsAt',
              'endsAt',
              'fingerprint',
              'generatorURL',
              'panelURL',
              'values',
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        ),
        version: fc.constantFrom('4', '1'),
      }),
      fc.record({
        Type: fc.constantFrom('Notification', 'SubscriptionConfirmation', 'Other'),
        TopicArn: fc.jsonValue(),
        Message: fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
      }),
      fc.record({
        event: fc.record({
          event_type: fc.constantFrom('incident.triggered', 'incident.resolved', 'x'),
          occurred_at: fc.jsonValue(),
          data: fc.jsonValue({ maxDepth: 3 }),
        }),
      }),
      azureShaped,
      fc.record({
        status: fc.constantFrom('firing', 'resolved', 'other'),
        labels: fc.jsonValue({ maxDepth: 2 }),
        startsAt: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
      }),
    );
    fc.assert(
      fc.property(shaped, sourceArb, (body, source) => {
        expectWellFormed(attempt(body, source));
      }),
      { numRuns: 2000 },
    );
  });

  it('for Azure-shaped bodies: both the signal and the PayloadError path are taken', () => {
    let normalised = 0;
    let refused = 0;
    fc.assert(
      fc.property(azureShaped, (body) => {
        const result = attempt(body, 'azure');
        expectWellFormed(result);
        if (result) {
          normalised++;
          expect(result.signals).toHaveLength(1);
          expect(result.signals[0]?.fingerprint).toMatch(/^azure-[0-9a-f]{16}$/);
        } else refused++;
      }),
      { numRuns: 3000 },
    );
    expect(normalised).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('for every fixture with one value replaced or removed anywhere (SNS messages included)', () => {
    const mutated = fc
      .integer({ min: 0, max: fixtures.length - 1 })
      .chain((i) => {
        const doc = fixtures[i];
        const paths = pathsOf(doc);
        return fc.tuple(
          fc.constant(doc),
          fc.constantFrom(...paths),
          fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.string()),
        );
      })
      .map(([doc, path, replacement]) => withStringMessage(mutate(doc, path, replacement)));
    fc.assert(
      fc.property(mutated, sourceArb, (body, source) => {
        expectWellFormed(attempt(body, source));
      }),
      { numRuns: 3000 },
    );
  });

  it('snsStringToSign on arbitrary JSON and on SNS-shaped envelopes with arbitrary fields', () => {
    // Plain arbitrary JSON never carries SignatureVersion "1"/"2" and a known Type, so the envelopes
    // below are needed to reach the success path at all; both paths must be taken.
    // Mostly well-typed, so that a good share of envelopes signs (a run with none would fail below).
    const field = fc.oneof(
      { arbitrary: fc.string(), weight: 8 },
      { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 1 },
    );
    const envelope = fc.record(
      {
        Type: fc.oneof(
          {
            arbitrary: fc.constantFrom('Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'),
            weight: 4,
          },
          { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
        ),
        SignatureVersion: fc.oneof(
          { arbitrary: fc.constantFrom('1', '2'), weight: 4 },
          { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
        ),
        Message: field,
        MessageId: field,
        Subject: field,
        SubscribeURL: field,
        Timestamp: field,
        Token: field,
        TopicArn: field,
      },
      { requiredKeys: ['Type', 'SignatureVersion'] },
    );
    let signed = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), envelope), (body) => {
        try {
          const text = snsStringToSign(body);
          signed++;
          expect(text.startsWith('Message\n')).toBe(true);
          expect(text.endsWith(`Type\n${(body as { Type: string }).Type}\n`)).toBe(true);
        } catch (err: unknown) {
          if (!(err instanceof PayloadError)) throw err;
          refused++;
        }
      }),
      { numRuns: 1000 },
    );
    expect(signed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('hostile shapes', () => {
  function deep(depth: number, leaf: unknown): unknown {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = { a: [value] };
    return value;
  }

  it('huge nesting anywhere is a PayloadError, not a stack overflow', () => {
    const nested = deep(100_000, 'x');
    const bodies: unknown[] = [
      nested,
      { status: 'firing', labels: { region: nested }, startsAt: '2024-01-01T00:00:00Z' },
      {
        version: '4',
        status: 'firing',
        alerts: [{ labels: { a: 'b' }, annotations: nested, startsAt: '2024-01-01T00:00:00Z' }],
      },
      {
        Type: 'Notification',
        TopicArn: 'arn:aws:sns:us-east-1:1:t',
        Message: `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      },
    ];
    for (const body of bodies) {
      for (const source of [undefined, ...ALERT_SOURCES]) expect(() => attempt(body, source)).not.toThrow();
    }
  });

  it('__proto__ and constructor keys are ordinary labels', () => {
    const body = JSON.parse(
      '{"status":"firing","labels":{"__proto__":"x","constructor":"y"},"startsAt":"2024-01-01T00:00:00Z"}',
    );
    const [signal] = normaliseNotification(body).signals;
    expect(Object.keys(signal?.labels ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(signal?.labels)).toBe(Object.prototype);
  });

  it('a body without own fields does not read inherited ones', () => {
    expect(() => detectSource(Object.create({ alerts: [], version: '4' }))).toThrow(PayloadError);
  });
});
