import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS } from '../duration/index.js';
import {
  DEFAULT_SECURITY_AGENT_CONFIGURATION as DEFAULTS,
  TWIN_CONFIGURATION_LIMITS as LIMITS,
  TWIN_CONFIGURATION_PROPERTIES,
  TWIN_CONFIGURATION_PROPERTY as OBJECT,
  applyDesiredPatch,
  readSecurityAgentConfiguration,
  toReportedConfiguration,
  toTwinConfigurationDocument,
  type ConfigurationReadResult,
  type SecurityAgentConfiguration,
  type TwinValueKind,
} from './index.js';

/** mulberry32: a tiny seeded PRNG, so every run sees the same inputs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Well-typed values per kind, several of them NotOptimal or in Conflict with the defaults. */
const WELL_TYPED: Readonly<Record<TwinValueKind, readonly unknown[]>> = {
  duration: ['PT1M', 'PT0S', 'P200Y', 'PT6H', 'PT0.5S', 'P1D', 'P1W', 'PT7M'],
  integer: [8192, 10_000, 300_000, -1, 1e300, 204_800, 16_384],
  priority: ['High', 'Low', 'Off'],
  boolean: [true, false],
  string: ['', '/subscriptions/x'],
  'nullable-string': [null, '/etc/checks.xml', ''],
};
const SCALARS: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  8192,
  4097,
  262_145,
  1e300,
  -0,
  0.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'PT1M',
  'P200Y',
  'PT0S',
  'PT',
  'High',
  'low',
  'Off',
  '/etc/checks.xml',
  '__proto__',
  'x'.repeat(500),
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Any JSON value, shallow, with the values a twin holds over-represented. */
function anyValue(random: () => number, depth = 0): unknown {
  const r = random();
  if (r < 0.5 || depth > 2) return pick(SCALARS, random);
  if (r < 0.75) return { value: anyValue(random, depth + 1) };
  if (r < 0.85) return [anyValue(random, depth + 1)];
  return Object.fromEntries([
    [pick(['value', 'x', '__proto__', 'constructor'], random), anyValue(random, depth + 1)],
  ]);
}

/** A desired document or patch: a mutated copy of a configuration's twin form, or something stranger. */
function document(random: () => number): unknown {
  const r = random();
  if (r < 0.03) return anyValue(random);
  if (r < 0.06) return { [OBJECT]: anyValue(random) };
  const object: Record<string, unknown> = random() < 0.5 ? { ...toTwinConfigurationDocument(DEFAULTS) } : {};
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i += 1) {
    const spec = pick(TWIN_CONFIGURATION_PROPERTIES, random);
    if (random() < 0.8) {
      object[spec.key] = { value: pick(WELL_TYPED[spec.kind], random) };
      continue;
    }
    const key = random() < 0.9 ? spec.key : pick(['unknownKey', '$version', 'toString'], random);
    const e = random();
    if (e < 0.15) delete object[key];
    else if (e < 0.3) object[key] = null;
    else if (e < 0.45) object[key] = pick(SCALARS, random);
    else object[key] = random() < 0.7 ? { value: pick(SCALARS, random) } : anyValue(random);
  }
  return { $version: 2, [OBJECT]: object };
}

/** What must hold of every result, whatever went in. */
function checkInvariants(result: ConfigurationReadResult, previous: SecurityAgentConfiguration): void {
  const c = result.configuration;
  if (!Object.isFrozen(c) && c !== previous) expect.fail('configuration not frozen');
  if (result.rejected && c !== previous) expect.fail('a rejected update changed the configuration');
  for (const { key, kind } of TWIN_CONFIGURATION_PROPERTIES) {
    const value = c[key];
    const ok =
      kind === 'duration'
        ? typeof value === 'number' &&
          Number.isSafeInteger(value) &&
          value >= LIMITS.minDurationMs &&
          value <= MAX_DURATION_MS
        : kind === 'integer'
          ? Number.isSafeInteger(value)
          : kind === 'priority'
            ? value === 'High' || value === 'Low' || value === 'Off'
            : kind === 'boolean'
              ? typeof value === 'boolean'
              : kind === 'string'
                ? typeof value === 'string'
                : typeof value === 'string' || value === null;
    if (!ok) expect.fail(`${key} holds ${String(value)}`);
  }
  if (
    c.maxMessageSizeInBytes < LIMITS.minMessageSizeInBytes ||
    c.maxMessageSizeInBytes > LIMITS.maxMessageSizeInBytes
  ) {
    expect.fail(`maxMessageSizeInBytes ${c.maxMessageSizeInBytes} out of bounds`);
  }
  for (const e of result.errors) {
    if (e.message.length < 10 || e.message.length > 400 || e.configurationName === '')
      expect.fail(JSON.stringify(e));
    if (result.rejected !== (e.errorType === 'TypeMismatch'))
      expect.fail(`unexpected ${e.errorType} in ${JSON.stringify(result)}`);
  }
}

describe('the twin reader under 100,000 random and mutated documents', () => {
  it('never throws, always yields a usable configuration, and reports what it changed', () => {
    const random = prng(0x7317);
    let current: SecurityAgentConfiguration = DEFAULTS;
    const counts = { rejected: 0, findings: 0, clean: 0 };
    const cpu = process.cpuUsage();
    for (let i = 0; i < 100_000; i += 1) {
      const input = document(random);
      const patch = random() < 0.5;
      const previous = current;
      const result = patch
        ? applyDesiredPatch(current, input)
        : readSecurityAgentConfiguration(input, current);
      checkInvariants(result, previous);
      current = result.configuration;
      if (result.rejected) counts.rejected += 1;
      else if (result.errors.length > 0) counts.findings += 1;
      else counts.clean += 1;
      // What the agent reports reads back as what it runs with, without a type mismatch.
      if (i % 50 === 0) {
        const again = readSecurityAgentConfiguration(toReportedConfiguration(current), DEFAULTS);
        if (again.rejected) expect.fail(JSON.stringify(again.errors));
        expect(again.configuration).toEqual(current);
      }
    }
    const { user, system } = process.cpuUsage(cpu);
    console.log(`twin fuzz: 100,000 documents in ${Math.round((user + system) / 1_000)} ms of CPU`, counts);
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(1_000);
  });
});
