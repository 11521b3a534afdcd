/**
 * Bare Aedes (a child process): the broker Vigil's hub is built on, with its in-memory persistence
 * and no hooks at all — no authentication, no durable ingest, no analytics. Against the hub it shows
 * what Vigil's own work costs on top of the MQTT substrate.
 */
import { Aedes } from 'aedes';
import { serveParent } from '../child.js';
import { startProfile, stopProfile } from './self-profile.js';
import { listenLoopback, type ListenTls } from './listen.js';

serveParent({
  profileStart: () => startProfile(),
  profileStop: (file: string) => stopProfile(file),
  async start(tls: ListenTls | null) {
    const broker = await Aedes.createBroker({ id: 'bench-bare-aedes' });
    const { port } = await listenLoopback((socket) => broker.handle(socket), tls);
    return port;
  },
});
