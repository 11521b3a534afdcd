import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/index.js';
import {
  certificateThumbprints,
  deviceResourceUri,
  formatConnectionString,
  generateSasToken,
  normaliseThumbprint,
  parseConnectionString,
  parseSasToken,
  thumbprintsEqual,
  verifySasToken,
  type ConnectionString,
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
  ...';=&%/ +$!*()2AFaz0',
  '%2F',
  '%2f',
  'sr=',
  'sig=',
  'se=',
  'skn=',
  'x509=true',
  'DeviceId=',
  '\0',
  'é',
  '\uD800',
];

/** Random edits of valid inputs (insert, delete, replace, duplicate, truncate, splice) plus pure noise. */
function mutants(seeds: readonly string[], count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out: string[] = [];
  for (let n = 0; n < count; n += 1) {
    let text = pick(seeds);
    if (random() < 0.05)
      text = Array.from({ length: Math.floor(random() * 60) }, () => pick(ALPHABET)).join('');
    const edits = Math.floor(random() * 4);
    for (let e = 0; e < edits; e += 1) {
      const at = Math.floor(random() * (text.length + 1));
      const op = Math.floor(random() * 6);
      if (op === 0) text = text.slice(0, at) + pick(ALPHABET) + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
      else if (op === 2) text = text.slice(0, at) + pick(ALPHABET) + text.slice(at + 1);
      else if (op === 3) text = text.slice(0, at) + text.slice(at, at + 12) + text.slice(at);
      else if (op === 4) text = text.slice(0, at);
      else text = text.slice(0, at) + pick(seeds).slice(Math.floor(random() * 40));
    }
    out.push(text);
  }
  return out;
}

/** Runs `check` on every input; only ProtocolErrors may escape it. Counts accepted and rejected inputs. */
function survive(
  inputs: readonly string[],
  check: (text: string) => boolean,
): { ok: number; rejected: number } {
  let ok = 0;
  let rejected = 0;
  // Stack capture dominates the cost of a rejected input under the test runner; the stacks are not needed here.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const input of inputs) {
      try {
        if (check(input)) ok += 1;
        else rejected += 1;
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
const HOST = 'hub.test';
const KEY = Buffer.alloc(32, 5).toString('base64');
const SE = 1_900_000_000;
const NOW = SE - 60;
const TOKENS = [
  generateSasToken({ resourceUri: deviceResourceUri(HOST, 'dev1'), key: KEY, expiresAt: SE }),
  generateSasToken({ resourceUri: deviceResourceUri(HOST, 'dev1', 'mod1'), key: KEY, expiresAt: SE }),
  generateSasToken({
    resourceUri: deviceResourceUri(HOST, "d!'()*"),
    key: KEY,
    expiresAt: SE,
    policyName: 'device',
  }),
];
const CONNECTION_SEEDS = [
  `HostName=${HOST};DeviceId=dev1;SharedAccessKey=${KEY}`,
  `HostName=${HOST};DeviceId=dev1;ModuleId=m;SharedAccessKey=${KEY};GatewayHostName=localhost:18883`,
  'HostName=localhost:18883;DeviceId=devx509;x509=true',
  `HostName=${HOST};SharedAccessKeyName=iothubowner;SharedAccessKey=${KEY}`,
  `HostName=${HOST};DeviceId=dev1;SharedAccessSignature=${TOKENS[0]}`,
];

describe('randomized inputs: credential parsers only ever throw ProtocolError', () => {
  it(`parseConnectionString survives ${RUNS} mutated strings`, () => {
    const result = survive(
      mutants(CONNECTION_SEEDS, RUNS, 21),
      (t) => parseConnectionString(t) !== undefined,
    );
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });

  it(`parseSasToken survives ${RUNS} mutated tokens`, () => {
    const result = survive(mutants(TOKENS, RUNS, 22), (t) => parseSasToken(t) !== undefined);
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });

  it(`verifySasToken returns an outcome for ${RUNS} mutated tokens and never accepts a changed signature`, () => {
    const expectedSig = new Set(TOKENS.map((t) => parseSasToken(t).signature));
    const result = survive(mutants(TOKENS, RUNS, 23), (t) => {
      const outcome = verifySasToken(t, {
        key: KEY,
        expectedResourceUri: deviceResourceUri(HOST, 'dev1'),
        now: NOW,
      });
      if (!outcome.ok) {
        if (!(outcome.error instanceof ProtocolError))
          throw new Error('outcome error is not a ProtocolError');
        return false;
      }
      if (!expectedSig.has(outcome.token.signature)) throw new Error(`accepted a forged token ${t}`);
      return true;
    });
    expect(result.ok).toBeGreaterThan(100);
    expect(result.rejected).toBeGreaterThan(1000);
  });
});

/** A self-signed P-256 certificate made once with openssl for these tests (CN=fuzz-seed). */
const SEED_PEM = `-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUHH2L4iEVG9DAK6B0uqeT13SsLHMwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJZnV6ei1zZWVkMB4XDTI2MTIwMjA1MjU1MloXDTM2MTEyOTA1
MjU1MlowFDESMBAGA1UEAwwJZnV6ei1zZWVkMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEyyUNXFsAH+h5dXEKhnjw2z/6l9nSGxO2enyLgIAjkqmkUKe4DjVbsSGh
GUzjv9CmVlfitJgLkHXfxrdj9oXk0qNTMFEwHQYDVR0OBBYEFDIfSNkXhxqKCl9y
6g+s3Xc3f8+GMB8GA1UdIwQYMBaAFDIfSNkXhxqKCl9y6g+s3Xc3f8+GMA8GA1Ud
EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAOW9IUYEdCKMxsAP8bxeIjN7
eZ9vgBu+l8IvP4qxa0XgAiARx6St0iLNQxHx6c4DednuXiPZ0rujJr8U4lp2lUPx
UQ==
-----END CERTIFICATE-----`;
const SEED_SHA1 = '336E15F1ECE61709A4E9299D2C1D3F93F93F7DB8';

describe('randomized inputs: certificate and thumbprint readers only ever throw ProtocolError', () => {
  it(`certificateThumbprints survives ${RUNS} damaged PEM texts and DER byte strings`, () => {
    const der = Buffer.from(SEED_PEM.split('\n').slice(1, -1).join(''), 'base64');
    expect(certificateThumbprints(der).sha1).toBe(SEED_SHA1);
    const random = prng(24);
    const texts = mutants([SEED_PEM], RUNS / 2, 25);
    const inputs: (string | Uint8Array)[] = [...texts];
    for (let n = 0; n < RUNS / 2; n += 1) {
      const bytes = Uint8Array.from(der);
      for (let e = Math.floor(random() * 4); e >= 0; e -= 1)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      inputs.push(random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes);
    }
    let ok = 0;
    let rejected = 0;
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0; // as in survive(): stacks of rejected inputs are not needed
    try {
      for (const input of inputs) {
        try {
          certificateThumbprints(input);
          ok += 1;
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw new Error(`non-ProtocolError: ${String(error)}`);
          rejected += 1;
        }
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    expect(ok + rejected).toBe(RUNS);
    expect(ok).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(10_000);
  });

  it(`normaliseThumbprint and thumbprintsEqual survive ${RUNS} mutated thumbprints`, () => {
    const seeds = [SEED_SHA1, SEED_SHA1.toLowerCase().replace(/(..)(?!$)/g, '$1:'), `\u200e${SEED_SHA1}`];
    const result = survive(mutants(seeds, RUNS, 26), (t) => {
      const equal = thumbprintsEqual(t, SEED_SHA1);
      const normalised = normaliseThumbprint(t);
      if (equal !== (normalised === SEED_SHA1)) throw new Error(`thumbprintsEqual disagrees for ${t}`);
      return equal;
    });
    expect(result.ok).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  });
});

const idArb = fc.stringMatching(/^[A-Za-z0-9\-.+%_#*?!(),:=@$']{1,128}$/);
const hostArb = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,30}[a-z0-9])?(:[0-9]{1,5})?$/);
const keyArb = fc.uint8Array({ minLength: 16, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64'));
const policyArb = fc.stringMatching(/^[A-Za-z0-9 _!*'()-]{1,32}$/);

describe('round trips', () => {
  it('SAS tokens: generate → parse → verify, for any ids, policies and keys', () => {
    fc.assert(
      fc.property(
        hostArb,
        idArb,
        fc.option(idArb, { nil: undefined }),
        fc.option(policyArb, { nil: undefined }),
        keyArb,
        (host, d, m, policy, key) => {
          const resourceUri = deviceResourceUri(host, d, m);
          const token = generateSasToken({
            resourceUri,
            key,
            expiresAt: SE,
            ...(policy === undefined ? {} : { policyName: policy }),
          });
          const parsed = parseSasToken(token);
          expect(parsed.resourceUri).toBe(resourceUri);
          expect(parsed.policyName).toBe(policy);
          const outcome = verifySasToken(token, {
            key,
            expectedResourceUri: resourceUri,
            now: NOW,
            ...(policy === undefined ? {} : { policyName: policy }),
          });
          expect(outcome.ok).toBe(true);
        },
      ),
      { numRuns: 500, seed: 31 },
    );
  });

  it('connection strings: format → parse returns the input', () => {
    const identity = fc.record(
      { hostName: hostArb, deviceId: idArb, moduleId: idArb, gatewayHostName: hostArb },
      { requiredKeys: ['hostName', 'deviceId'] },
    );
    const csArb: fc.Arbitrary<ConnectionString> = fc.oneof(
      fc
        .tuple(identity, keyArb, fc.option(policyArb, { nil: undefined }))
        .map(([i, sharedAccessKey, name]) => ({
          ...i,
          kind: 'device-key' as const,
          sharedAccessKey,
          ...(name === undefined ? {} : { sharedAccessKeyName: name }),
        })),
      identity.map((i) => ({ ...i, kind: 'device-x509' as const })),
      identity.map((i) => ({ ...i, kind: 'device-sas' as const, sharedAccessSignature: TOKENS[0]! })),
      fc.record({
        kind: fc.constant('hub-policy' as const),
        hostName: hostArb,
        sharedAccessKeyName: policyArb,
        sharedAccessKey: keyArb,
      }),
      fc.record({
        kind: fc.constant('hub-sas' as const),
        hostName: hostArb,
        sharedAccessSignature: fc.constant(TOKENS[2]!),
      }),
    );
    fc.assert(
      fc.property(csArb, (cs) => {
        expect(parseConnectionString(formatConnectionString(cs))).toEqual(cs);
      }),
      { numRuns: 1000, seed: 32 },
    );
  });
});
