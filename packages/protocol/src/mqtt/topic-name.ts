import { ProtocolError } from '../errors/index.js';
import { clip } from './identity-id.js';

/** MQTT caps a topic at 65535 bytes of UTF-8. */
export const MAX_TOPIC_BYTES = 65535;

/**
 * Checks what MQTT itself requires of a topic name a client publishes or receives: not empty, at most
 * 65535 bytes, no NUL, no `#` or `+` wildcard.
 */
export function assertTopicName(topic: string): void {
  if (topic.length === 0) throw new ProtocolError('MALFORMED_TOPIC', 'topic is empty');
  if (topic.length > MAX_TOPIC_BYTES || Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES) {
    throw new ProtocolError('MALFORMED_TOPIC', `topic is longer than ${MAX_TOPIC_BYTES} bytes`);
  }
  if (/[#+\0]/.test(topic)) {
    throw new ProtocolError(
      'MALFORMED_TOPIC',
      `topic "${clip(topic, 160)}" contains # + or NUL, which MQTT forbids in a topic name`,
    );
  }
}

/**
 * Splits `{first}/{rest}` off a string: the first segment must be non-empty. Used to read id segments
 * without splitting a property bag that may itself contain `/` (the C SDK sends values un-encoded).
 */
export function takeSegment(text: string): { segment: string; rest: string } | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  return { segment: text.slice(0, slash), rest: text.slice(slash + 1) };
}
