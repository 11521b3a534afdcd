/**
 * The acknowledge-only sink (a child process): answers CONNECT with CONNACK and every QoS 1 PUBLISH
 * with PUBACK, and does nothing else. The generator's rate against it is the generator's own
 * ceiling on this machine: any target measured below it is the bottleneck, not the generator.
 */
import type { Socket } from 'node:net';
import { serveParent } from '../child.js';
import { startProfile, stopProfile } from './self-profile.js';
import { createFrameSplitter, encodeConnack, PACKET_TYPE } from '../wire.js';
import { listenLoopback, type ListenTls } from './listen.js';

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  const split = createFrameSplitter((type, body) => {
    if (type === PACKET_TYPE.connect) socket.write(encodeConnack(0));
    else if (type === PACKET_TYPE.publish) {
      // Variable header: topic (2-byte length + text), then the packet id (QoS 1).
      const at = 2 + body.readUInt16BE(0);
      socket.write(Buffer.from([0x40, 0x02, body[at] ?? 0, body[at + 1] ?? 0]));
    }
  });
  socket.on('data', (chunk: Buffer) => {
    socket.cork();
    split(chunk);
    socket.uncork();
  });
}

serveParent({
  profileStart: () => startProfile(),
  profileStop: (file: string) => stopProfile(file),
  async start(tls: ListenTls | null) {
    const { port } = await listenLoopback(serve, tls);
    return port;
  },
});
