import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/index.js';
import {
  SYSTEM_PROPERTY_TABLE,
  buildC2dTopic,
  buildD2cTopic,
  buildDesiredPatchTopic,
  buildMethodRequestTopic,
  buildMethodResponseTopic,
  buildModuleInputTopic,
  buildReportedPatchTopic,
  buildSubscriptionFilter,
  buildTwinGetTopic,
  buildTwinResponseTopic,
  formatPropertyBag,
  isValidIdentityId,
  isValidRid,
  parseDeviceTopic,
  parseHubTopic,
  parsePropertyBag,
  parseSubscriptionFilter,
  type PropertyBagInput,
  type SubscriptionFilter,
  type SystemProperties,
} from './index.js';

/** mulberry32: a tiny deterministic PRNG, so every run explores the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'/%#+&=$?.24aAfF09-_:@ ',
  '%24.',
  '%2',
  '%%',
  '$rid=',
  '\0',
  '\t',
  'é',
  '\uD800',
  '€',
  '/?',
];

/** Random edits of valid inputs (insert, delete, replace, duplicate, truncate, splice) plus pure noise. */
function mutants(seeds: readonly string[], count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out: string[] = [];
  for (let n = 0; n < count; n += 1) {
    let text = pick(seeds);
    if (random() < 0.05)
      text = Array.from({ length: Math.floor(random() * 40) }, () => pick(ALPHABET)).join('');
    const edits = 1 + Math.floor(random() * 4);
    for (let e = 0; e < edits; e += 1) {
      const at = Math.floor(random() * (text.length + 1));
      const op = Math.floor(random() * 6);
      if (op === 0) text = text.slice(0, at) + pick(ALPHABET) + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
      else if (op === 2) text = text.slice(0, at) + pick(ALPHABET) + text.slice(at + 1);
      else if (op === 3) text = text.slice(0, at) + text.slice(at, at + 8) + text.slice(at);
      else if (op === 4) text = text.slice(0, at);
      else text = text.slice(0, at) + pick(seeds).slice(Math.floor(random() * 20));
    }
    out.push(text);
  }
  return out;
}

/** Runs `parse` on every input: it may return or throw a ProtocolError, nothing else. */
function survive(
  inputs: readonly string[],
  parse: (text: string) => unknown,
): { ok: number; rejected: number } {
  let ok = 0;
  let rejected = 0;
  // Stack capture dominates the cost of a rejected input under the test runner; the stacks are not needed here.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const input of inputs) {
      try {
        parse(input);
        ok += 1;
      } catch (error) {
        if (!(error instanceof ProtocolError)) {
          throw new Error(`non-ProtocolError for ${JSON.stringify(input)}: ${String(error)}`);
        }
        rejected += 1;
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { ok, rejected };
}

const RUNS = 100_000;

const DEVICE_SEEDS = [
  'devices/dev1/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1',
  'devices/d/modules/azureiotsecurity/messages/events/mti=2.3-1-0-0&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1',
  'devices/d/messages/events',
  'devices/d/modules/m/messages/events/%24.on=out1&k=v/',
  '$iothub/twin/GET/?$rid=0b6a8c52-2f1e-4a57-9e5e-6f9a1f7c3b10',
  '$iothub/twin/PATCH/properties/reported/?$rid=12',
  '$iothub/methods/res/200/?$rid=1f',
];
const HUB_SEEDS = [
  'devices/dev1/messages/devicebound/%24.mid=m1&color=red',
  'devices/dev1/messages/devicebound/',
  'devices/d/modules/m/inputs/in1/k=v',
  '$iothub/twin/res/204/?$rid=7&$version=12',
  '$iothub/twin/res/200/?$rid=1',
  '$iothub/twin/PATCH/properties/desired/?$version=5',
  '$iothub/methods/POST/reboot/?$rid=1a',
];
const FILTER_SEEDS = [
  'devices/dev1/messages/devicebound/#',
  'devices/+/messages/devicebound/#',
  'devices/d/modules/m/inputs/#',
  'devices/d/modules/m/#',
  '$iothub/twin/res/#',
  '$iothub/twin/PATCH/properties/desired/#',
  '$iothub/methods/POST/#',
];
const BAG_SEEDS = [
  '%24.ct=application%2Fjson&%24.ce=utf-8&%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1',
  'mti=2.3-1-0-0&$.ifid=urn:azureiot:Security:SecurityAgent:1/',
  'flag&empty=&k=a=b&%24.mid=1',
];

describe('randomized inputs: parsers only ever throw ProtocolError', () => {
  it(`parseDeviceTopic survives ${RUNS} mutated topics`, () => {
    const result = survive(mutants(DEVICE_SEEDS, RUNS, 1), (t) => {
      const parsed = parseDeviceTopic(t);
      if (parsed.kind === 'd2c' && !isValidIdentityId(parsed.deviceId))
        throw new Error('invalid id accepted');
    });
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });

  it(`parseHubTopic survives ${RUNS} mutated topics`, () => {
    const result = survive(mutants(HUB_SEEDS, RUNS, 2), parseHubTopic);
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });

  it(`parseSubscriptionFilter survives ${RUNS} mutated filters`, () => {
    const result = survive(mutants(FILTER_SEEDS, RUNS, 3), (f) => {
      const parsed = parseSubscriptionFilter(f);
      // Whatever is accepted names one identity or is one of the fixed filters: no other wildcard gets through.
      if (
        parsed.kind !== 'c2d-any-device' &&
        buildSubscriptionFilter(parsed)
          .replace(/%2B|%23/g, '')
          .includes('+')
      ) {
        throw new Error('wildcard accepted');
      }
    });
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });

  it(`parsePropertyBag survives ${RUNS} mutated bags`, () => {
    const result = survive(mutants(BAG_SEEDS, RUNS, 4), parsePropertyBag);
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });
});

const idArb = fc.stringMatching(/^[A-Za-z0-9\-.+%_#*?!(),:=@$']{1,128}$/);
const ridArb = fc.stringMatching(/^[\x21-\x7e]{1,36}$/).filter(isValidRid);
const textArb = fc.string({ unit: 'grapheme', maxLength: 20 });
const systemArb: fc.Arbitrary<SystemProperties> = fc.record(
  Object.fromEntries(SYSTEM_PROPERTY_TABLE.map((e) => [e.name, textArb])) as Record<
    keyof SystemProperties,
    fc.Arbitrary<string>
  >,
  { requiredKeys: [] },
);
const systemKeys = new Set(SYSTEM_PROPERTY_TABLE.map((e) => e.wireKey));
const applicationArb = fc.dictionary(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => !systemKeys.has(k)),
  fc.option(textArb, { nil: null }),
  { maxKeys: 8 },
);
const bagArb: fc.Arbitrary<PropertyBagInput & Required<PropertyBagInput>> = fc.record({
  system: systemArb,
  application: applicationArb,
});
const methodNameArb = fc.stringMatching(/^[A-Za-z0-9_.\-~!*'%&]{1,40}$/);

describe('round trips: what the builders write, the parsers read back', () => {
  it('property bags', () => {
    fc.assert(
      fc.property(bagArb, (bag) => {
        expect(parsePropertyBag(formatPropertyBag(bag))).toEqual(bag);
      }),
      {
        numRuns: 1000,
        seed: 11,
      },
    );
  });

  it('device topics', () => {
    fc.assert(
      fc.property(
        idArb,
        fc.option(idArb, { nil: undefined }),
        bagArb,
        ridArb,
        fc.integer(),
        (d, m, bag, rid, status) => {
          const d2c =
            m === undefined
              ? { deviceId: d, properties: bag }
              : { deviceId: d, moduleId: m, properties: bag };
          expect(parseDeviceTopic(buildD2cTopic(d2c))).toEqual({ kind: 'd2c', ...d2c });
          expect(parseDeviceTopic(buildTwinGetTopic(rid))).toEqual({ kind: 'twin-get', rid });
          expect(parseDeviceTopic(buildReportedPatchTopic(rid))).toEqual({
            kind: 'twin-patch-reported',
            rid,
          });
          expect(parseDeviceTopic(buildMethodResponseTopic({ status, rid }))).toEqual({
            kind: 'method-response',
            status,
            rid,
          });
        },
      ),
      { numRuns: 500, seed: 12 },
    );
  });

  it('hub topics', () => {
    fc.assert(
      fc.property(
        idArb,
        idArb,
        bagArb,
        ridArb,
        fc.integer({ min: 100, max: 599 }),
        fc.option(fc.nat(), { nil: undefined }),
        methodNameArb,
        (d, m, bag, rid, status, version, methodName) => {
          expect(parseHubTopic(buildC2dTopic({ deviceId: d, properties: bag }))).toEqual({
            kind: 'c2d',
            deviceId: d,
            properties: bag,
          });
          expect(
            parseHubTopic(
              buildModuleInputTopic({ deviceId: d, moduleId: m, inputName: methodName, properties: bag }),
            ),
          ).toEqual({
            kind: 'module-input',
            deviceId: d,
            moduleId: m,
            inputName: methodName,
            properties: bag,
          });
          const response = version === undefined ? { status, rid } : { status, rid, version };
          expect(parseHubTopic(buildTwinResponseTopic(response))).toEqual({
            kind: 'twin-response',
            ...response,
          });
          expect(parseHubTopic(buildDesiredPatchTopic(version ?? 0))).toEqual({
            kind: 'twin-desired',
            version: version ?? 0,
          });
          expect(parseHubTopic(buildMethodRequestTopic({ methodName, rid }))).toEqual({
            kind: 'method-request',
            methodName,
            rid,
          });
        },
      ),
      { numRuns: 500, seed: 13 },
    );
  });

  it('subscription filters', () => {
    const filterArb: fc.Arbitrary<SubscriptionFilter> = fc.oneof(
      idArb.map((deviceId) => ({ kind: 'c2d' as const, deviceId })),
      fc.constantFrom<SubscriptionFilter>(
        { kind: 'c2d-any-device' },
        { kind: 'twin-responses' },
        { kind: 'twin-desired' },
        { kind: 'methods' },
      ),
      fc.record({
        kind: fc.constant('module-inputs' as const),
        deviceId: idArb,
        moduleId: idArb,
        form: fc.constantFrom('inputs' as const, 'module-wildcard' as const),
      }),
    );
    fc.assert(
      fc.property(filterArb, (f) => {
        expect(parseSubscriptionFilter(buildSubscriptionFilter(f))).toEqual(f);
      }),
      {
        numRuns: 1000,
        seed: 14,
      },
    );
  });
});
