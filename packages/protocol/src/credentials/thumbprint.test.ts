import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors/index.js';
import { certificateThumbprints, matchThumbprint, normaliseThumbprint, thumbprintsEqual } from './index.js';

let dir = '';
let pem = '';
let der: Buffer = Buffer.alloc(0);
const fingerprints = { sha1: '', sha256: '' };

/** `openssl x509 -fingerprint` prints `SHA1 Fingerprint=AA:BB:…`; keep the hex. */
function opensslFingerprint(digest: 'sha1' | 'sha256'): string {
  const out = execFileSync(
    'openssl',
    ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-fingerprint', `-${digest}`],
    { encoding: 'utf8' },
  );
  return out
    .slice(out.indexOf('=') + 1)
    .trim()
    .replaceAll(':', '');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-thumbprint-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=devx509',
      '-days',
      '1',
    ],
    { stdio: 'ignore' },
  );
  execFileSync('openssl', [
    'x509',
    '-in',
    join(dir, 'cert.pem'),
    '-outform',
    'DER',
    '-out',
    join(dir, 'cert.der'),
  ]);
  pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  der = readFileSync(join(dir, 'cert.der'));
  fingerprints.sha1 = opensslFingerprint('sha1');
  fingerprints.sha256 = opensslFingerprint('sha256');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificateThumbprints', () => {
  it('matches openssl for PEM text and DER bytes, in upper-case hex without separators', () => {
    expect(fingerprints.sha1).toMatch(/^[0-9A-F]{40}$/);
    expect(certificateThumbprints(pem)).toEqual(fingerprints);
    expect(certificateThumbprints(new Uint8Array(der))).toEqual(fingerprints);
  });

  it('rejects what is not a certificate', () => {
    for (const input of [
      'hello',
      pem.replace(/[A-Za-z]{8}\n/, '\n'),
      new Uint8Array([0x30, 0x03, 1, 2, 3]),
    ]) {
      try {
        certificateThumbprints(input);
        expect.unreachable();
      } catch (error) {
        expect(isProtocolError(error, 'MALFORMED_CERTIFICATE')).toBe(true);
      }
    }
  });
});

describe('thumbprints typed by people', () => {
  it('normalise colons, spaces, case and the invisible mark Windows copies', () => {
    const typed = `\u200e${fingerprints.sha1.toLowerCase().match(/../g)!.join(':')}`;
    expect(normaliseThumbprint(typed)).toBe(fingerprints.sha1);
    expect(normaliseThumbprint(fingerprints.sha256.match(/..../g)!.join(' '))).toBe(fingerprints.sha256);
    expect(() => normaliseThumbprint('abc')).toThrow(/40 \(SHA-1\) or 64 \(SHA-256\)/);
  });

  it('compare equal regardless of formatting, and never equal across lengths or when malformed', () => {
    expect(thumbprintsEqual(fingerprints.sha1.toLowerCase(), fingerprints.sha1)).toBe(true);
    expect(thumbprintsEqual(fingerprints.sha1, fingerprints.sha256)).toBe(false);
    expect(thumbprintsEqual('zz', 'zz')).toBe(false);
  });

  it('match a presented certificate against the registered primary or secondary, by SHA-1 or SHA-256', () => {
    const presented = certificateThumbprints(pem);
    const other = 'AB'.repeat(20);
    expect(matchThumbprint(presented, { primary: fingerprints.sha1 })).toBe('primary');
    expect(matchThumbprint(presented, { primary: other, secondary: fingerprints.sha256.toLowerCase() })).toBe(
      'secondary',
    );
    expect(matchThumbprint(presented, { primary: other })).toBeUndefined();
  });
});
