import { X509Certificate } from 'node:crypto';
import { certificateThumbprints, matchThumbprint } from '@vigil/protocol';
import type { CaCertificate, IdentityAuth } from '@vigil/storage';
import type { AuthFailureReason } from '../contract/index.js';
import type { SessionIdentity } from '../contract/index.js';

/** The outcome of checking a client certificate against an identity. */
export type X509Outcome =
  | { readonly ok: true; readonly matched: 'primary' | 'secondary' | 'ca'; readonly detail: string }
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly message: string };

function parse(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

function validityProblem(cert: X509Certificate, now: number): string | undefined {
  if (Date.parse(cert.validFrom) > now)
    return `certificate "${cert.subject}" is not valid before ${cert.validFrom}`;
  if (Date.parse(cert.validTo) <= now) return `certificate "${cert.subject}" expired at ${cert.validTo}`;
  return undefined;
}

/** The subject's common name (`CN=…`). */
function commonName(cert: X509Certificate): string | undefined {
  const line = cert.subject.split('\n').find((part) => part.startsWith('CN='));
  return line?.slice(3);
}

function expectedCommonName(identity: SessionIdentity): string {
  return identity.moduleId === null ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
}

/**
 * Checks the client certificate chain a device presented in the TLS handshake (leaf first) for an
 * X.509 identity (reference/iothub-mqtt.md §1.4): self-signed identities by SHA-1 or SHA-256
 * thumbprint against primary and secondary; CA identities by a chain to a *verified* registered CA
 * with the leaf's CN naming the identity. Validity dates are checked on every certificate used.
 */
export function verifyClientCertificate(options: {
  readonly chain: readonly Buffer[];
  readonly auth: Exclude<IdentityAuth, { readonly type: 'sas' }>;
  readonly identity: SessionIdentity;
  readonly authorities: readonly CaCertificate[];
  readonly now: number;
}): X509Outcome {
  const [leafDer, ...rest] = options.chain;
  const leaf = leafDer === undefined ? undefined : parse(leafDer);
  if (leafDer === undefined || leaf === undefined) {
    return { ok: false, reason: 'noCredential', message: 'no usable client certificate was presented' };
  }
  const expired = validityProblem(leaf, options.now);
  if (expired !== undefined) return { ok: false, reason: 'certificateExpired', message: expired };
  if (options.auth.type === 'selfSigned') {
    const matched = matchThumbprint(certificateThumbprints(leafDer), {
      primary: options.auth.primaryThumbprint,
      secondary: options.auth.secondaryThumbprint,
    });
    if (matched === undefined) {
      return {
        ok: false,
        reason: 'thumbprintMismatch',
        message: `certificate thumbprint ${certificateThumbprints(leafDer).sha1} matches neither registered thumbprint`,
      };
    }
    return { ok: true, matched, detail: leaf.fingerprint256 };
  }
  if (commonName(leaf) !== expectedCommonName(options.identity)) {
    return {
      ok: false,
      reason: 'certificateUntrusted',
      message: `certificate CN "${commonName(leaf) ?? ''}" does not name ${expectedCommonName(options.identity)}`,
    };
  }
  return verifyChain(leaf, rest, options.authorities, options.now);
}

function verifyChain(
  leaf: X509Certificate,
  presented: readonly Buffer[],
  authorities: readonly CaCertificate[],
  now: number,
): X509Outcome {
  const intermediates = presented.map(parse).filter((c): c is X509Certificate => c !== undefined);
  const anchors = authorities
    .filter((a) => a.isVerified)
    .map((a) => ({ name: a.name, cert: parseText(a.pem) }))
    .filter((a): a is { name: string; cert: X509Certificate } => a.cert !== undefined);
  let current = leaf;
  // Walk up at most a few links: leaf → (intermediates the device sent) → a verified registered CA.
  for (let depth = 0; depth < 6; depth++) {
    const anchor = anchors.find((a) => current.checkIssued(a.cert) && current.verify(a.cert.publicKey));
    if (anchor !== undefined) {
      const problem = validityProblem(anchor.cert, now);
      if (problem !== undefined) return { ok: false, reason: 'certificateExpired', message: problem };
      return { ok: true, matched: 'ca', detail: anchor.name };
    }
    const next = intermediates.find(
      (c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey) && c.ca,
    );
    if (next === undefined) break;
    const problem = validityProblem(next, now);
    if (problem !== undefined) return { ok: false, reason: 'certificateExpired', message: problem };
    current = next;
  }
  return {
    ok: false,
    reason: 'certificateUntrusted',
    message: 'certificate does not chain to a verified CA certificate registered at the hub',
  };
}

function parseText(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}
