import type { Client, PublishPacket } from 'aedes';
import { isProtocolError, isSecurityMessage, parseDeviceTopic, type DeviceTopic } from '@vigil/protocol';
import type { ServiceTopic } from '../contract/index.js';
import { answerOnce } from './answer-once.js';
import { d2cIngestRecord } from './d2c-record.js';
import type { D2cRejectionReason, UnauthorizedOperationReason } from './reasons.js';
import type { Session } from './session.js';
import { recordFor, type GatewayState } from './state.js';

type Refusal = (
  | { readonly operation: 'unauthorizedOperation'; readonly reason: UnauthorizedOperationReason }
  | { readonly operation: 'd2cRejected'; readonly reason: D2cRejectionReason }
) & {
  readonly message: string;
  readonly details?: Record<string, string | number>;
};

function refuse(state: GatewayState, session: Session, packet: PublishPacket, refusal: Refusal): Error {
  recordFor(state, session, {
    operation: refusal.operation,
    outcome: 'failure',
    reason: refusal.reason,
    details: {
      action: 'publish',
      topic: packet.topic.slice(0, 256),
      qos: packet.qos,
      protocol: session.protocol,
      message: refusal.message,
      ...refusal.details,
    },
  });
  return new Error(refusal.message);
}

/** Classifies the topic; a refusal when it is not one this identity may publish to. */
function classify(state: GatewayState, session: Session, packet: PublishPacket): DeviceTopic | Refusal {
  const { limits } = state.config;
  if (packet.qos === 2) {
    // IoT Hub closes on QoS 2 (reference/iothub-mqtt.md §3.5).
    return {
      operation: 'unauthorizedOperation',
      reason: 'qos2NotSupported',
      message: 'QoS 2 is not supported',
    };
  }
  if (packet.topic.length > limits.maxTopicLength) {
    return {
      operation: 'd2cRejected',
      reason: 'topicTooLong',
      message: `topic is longer than ${limits.maxTopicLength} characters`,
    };
  }
  let topic: DeviceTopic;
  try {
    topic = parseDeviceTopic(packet.topic, {
      maxLength: limits.maxPropertyBagLength,
      maxPairs: limits.maxPropertyBagPairs,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unreadable topic';
    return isProtocolError(error, 'MALFORMED_PROPERTY_BAG')
      ? { operation: 'd2cRejected', reason: 'malformedPropertyBag', message }
      : { operation: 'unauthorizedOperation', reason: 'unknownTopic', message };
  }
  if (topic.kind !== 'd2c') return topic;
  // The d2c topic must name the session's own device/module (DESIGN.md: identity from the credential).
  if (
    topic.deviceId !== session.identity.deviceId ||
    (topic.moduleId ?? null) !== session.identity.moduleId
  ) {
    return {
      operation: 'unauthorizedOperation',
      reason: 'foreignTopic',
      message: `${session.key} may not publish to the topic of ${topic.moduleId === undefined ? topic.deviceId : `${topic.deviceId}/${topic.moduleId}`}`,
    };
  }
  const payload = packet.payload as Buffer;
  if (payload.length > limits.maxMessageBytes) {
    return {
      operation: 'd2cRejected',
      reason: 'messageTooLarge',
      message: `message of ${payload.length} bytes is over the ${limits.maxMessageBytes}-byte limit`,
      details: { bytes: payload.length, limit: limits.maxMessageBytes },
    };
  }
  return topic;
}

async function appendD2c(
  state: GatewayState,
  session: Session,
  packet: PublishPacket,
  topic: Extract<DeviceTopic, { kind: 'd2c' }>,
  will: boolean,
): Promise<void> {
  const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
  const release = await session.appendSlot();
  try {
    const append = state.store.ingestLog.append([
      d2cIngestRecord({
        identity: session.identity,
        protocol: session.protocol,
        authMethod: session.authMethod,
        remoteAddress: session.remoteAddress,
        properties: topic.properties,
        payload,
        receivedAt: state.now(),
        retain: packet.retain,
        dup: packet.dup,
        will,
      }),
    ]);
    state.appends.add(append);
    try {
      await append;
    } finally {
      state.appends.delete(append);
    }
  } finally {
    release();
  }
  state.counter.count(
    session.identity,
    session.protocol,
    payload.length,
    isSecurityMessage(topic.properties),
  );
  // Coalesced per identity and written in batches (activity-writer.ts): a map update per publish.
  state.activity.record(session.identity, state.now());
}

function route(state: GatewayState, session: Session, topic: ServiceTopic, payload: Buffer): void {
  for (const service of state.services) {
    if (!service.handles.includes(topic.kind)) continue;
    service
      .handle(session.identity, topic, payload)
      .catch((error: unknown) => state.warn(`device service failed on ${topic.kind}`, error));
  }
}

/**
 * Aedes `authorizePublish`: the one place a device publish is judged. Telemetry is appended to the
 * ingest log *before* answering, because Aedes writes the PUBACK right after this hook and before
 * its own publish pipeline (DESIGN.md "Nothing acknowledged is lost"). Twin requests and method
 * responses go to the device services. Anything else — another identity's topic, an unknown topic,
 * QoS 2, an oversized message, a bad property bag — is recorded and closes the connection, as IoT
 * Hub terminates MQTT connections on such publishes (reference/iothub-mqtt.md §3.5). RETAIN is
 * never stored (§0 item 12).
 */
export function authorizePublishHook(state: GatewayState) {
  return (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void => {
    const session = state.sessions.ofClient(client);
    if (client === null) return callback(null);
    if (session === undefined) return callback(new Error('not authenticated'));
    // Aedes passes the Will here while it closes the client (an unclean drop).
    const will = client.closed;
    const answer = answerOnce(callback, state.config.limits.hookTimeoutMs, () => {
      state.warn(`publish from ${session.key} timed out`);
      return [new Error('publish timed out')] as const;
    });
    const topic = classify(state, session, packet);
    if ('operation' in topic) return answer(refuse(state, session, packet, topic));
    const retain = packet.retain;
    packet.retain = false;
    if (topic.kind !== 'd2c') {
      route(
        state,
        session,
        topic,
        Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      );
      return answer(null);
    }
    appendD2c(state, session, { ...packet, retain }, topic, will).then(
      () => answer(null),
      (error: unknown) => {
        state.warn(`ingest append for ${session.key} failed`, error);
        answer(
          refuse(state, session, packet, {
            operation: 'd2cRejected',
            reason: 'ingestUnavailable',
            message: error instanceof Error ? error.message : 'ingest log unavailable',
          }),
        );
      },
    );
  };
}
