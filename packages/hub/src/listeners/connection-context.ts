import type { TLSSocket } from 'node:tls';
import type { SessionProtocol } from '../contract/index.js';
import { normaliseAddress } from '../auth/index.js';

/** What a listener knows about a connection before MQTT starts. */
export interface ConnectionContext {
  readonly protocol: SessionProtocol;
  readonly remoteAddress: string;
  /** The client certificate chain from the TLS handshake, leaf first (DER); empty when none. */
  readonly certificateChain: readonly Buffer[];
}

/** The client certificate chain a TLS socket received, leaf first, at most `max` certificates. */
export function peerCertificateChain(socket: TLSSocket, max = 8): Buffer[] {
  const chain: Buffer[] = [];
  let cert = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert?.raw !== undefined && chain.length < max && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** The context of a TLS (or plain, without certificate) connection. */
export function contextOf(
  socket: { readonly remoteAddress?: string | undefined },
  protocol: SessionProtocol,
  tlsSocket?: TLSSocket,
): ConnectionContext {
  return {
    protocol,
    remoteAddress: normaliseAddress(socket.remoteAddress ?? ''),
    certificateChain: tlsSocket === undefined ? [] : peerCertificateChain(tlsSocket),
  };
}
