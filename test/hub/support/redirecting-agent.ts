/**
 * The SDK's MqttWs transport always dials port 443 (reference/iothub-mqtt.md §0 item 9); when a
 * test's listener cannot have 443, the SDK's documented `webSocketAgent` option hands it this agent,
 * which sends the socket to the test's port instead.
 */
import { Agent } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/** An https.Agent that dials the test's listener on 127.0.0.1:`port` whatever port the SDK asked for. */
export class RedirectingAgent extends Agent {
  constructor(private readonly port: number) {
    super({ keepAlive: false });
  }
  override createConnection(options: ConnectionOptions): ReturnType<typeof tlsConnect> {
    // The request options carry the HTTP `path`, which tls.connect would read as a Unix socket.
    const {
      path: _path,
      socketPath: _socketPath,
      ...tcp
    } = options as ConnectionOptions & { path?: string; socketPath?: string };
    return tlsConnect({ ...tcp, host: '127.0.0.1', port: this.port });
  }
}
