/** Loopback listeners for the in-house targets (the sink and bare Aedes): plain TCP or TLS on a free port. */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/** Server certificate and key (PEM) when the listener speaks TLS. */
export interface ListenTls {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Listens on 127.0.0.1 and a free port; resolves with the server and the port. */
export async function listenLoopback(
  onSocket: (socket: Socket) => void,
  tls: ListenTls | null,
): Promise<{ readonly server: Server; readonly port: number }> {
  const server =
    tls === null
      ? createTcpServer(onSocket)
      : createTlsServer({ cert: tls.certificatePem, key: tls.privateKeyPem }, onSocket);
  server.maxConnections = 1_000_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '0.0.0.0', backlog: 4096 }, resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}
