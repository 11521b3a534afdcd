/**
 * A mock of the transport for core tests (the real MQTT transport needs a hub): it "delivers" by
 * decoding the JSON test encoding into a list, and can be switched offline or told to fail sends.
 */
import type { SecurityEvent } from '@vigil/protocol';
import type { OutgoingMessage } from '../batcher.js';
import type { Sender } from '../delivery.js';

/** The mock and what it received. */
export interface MockHubSender extends Sender {
  connected: boolean;
  /** Sends to reject while still connected. */
  failNext: number;
  readonly messages: OutgoingMessage[];
  /** Every event delivered, in delivery order. */
  events(): SecurityEvent[];
}

/** A connected mock hub. */
export function createMockHubSender(connected = true): MockHubSender {
  const messages: OutgoingMessage[] = [];
  const hub: MockHubSender = {
    connected,
    failNext: 0,
    messages,
    isConnected: () => hub.connected,
    send(message) {
      if (!hub.connected) return Promise.reject(new Error('not connected'));
      if (hub.failNext > 0) {
        hub.failNext -= 1;
        return Promise.reject(new Error('PUBACK timeout'));
      }
      messages.push(message);
      return Promise.resolve();
    },
    events: () => messages.flatMap((m) => JSON.parse(new TextDecoder().decode(m.body)) as SecurityEvent[]),
  };
  return hub;
}
