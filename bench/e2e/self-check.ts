/**
 * Checks, before anything is timed, that what the generator sends is what Vigil should accept: every
 * template still decodes after its event ids are rewritten, the ids really change, and the frame
 * splitter reads PUBACKs cut at any byte. A benchmark of messages Vigil rejects would measure nothing.
 */
import { decodeSecurityMessage, type SecurityMessageProperties } from '@vigil/protocol';
import { attackTemplate, messageTemplate, stampEventIds, type MessageTemplate } from './messages.js';
import { createFrameSplitter, encodePuback } from './wire.js';

/** The flat properties an ingest record carries: only `mti` decides the format. */
function properties(template: MessageTemplate): SecurityMessageProperties {
  const mti = template.properties.application?.mti;
  return typeof mti === 'string' ? { mti } : {};
}

/** Events per message of each template; throws when a stamped message does not decode. */
export function selfCheck(): { readonly eventsPerMessage: Readonly<Record<string, number>> } {
  const eventsPerMessage: Record<string, number> = {};
  const templates = {
    json: messageTemplate('json'),
    rtos: messageTemplate('rtos'),
    attack: attackTemplate(),
  };
  for (const [name, template] of Object.entries(templates)) {
    const ids = new Set<string>();
    for (const sequence of [0, 1, 99_999]) {
      const body = Buffer.from(template.body);
      stampEventIds(body, 0, template, 0x7a11, sequence);
      const decoded = decodeSecurityMessage(body, properties(template));
      if (!decoded.ok) throw new Error(`the ${name} template does not decode once stamped`);
      for (const event of decoded.message.events) ids.add(event.id);
      eventsPerMessage[name] = decoded.message.events.length;
    }
    if (ids.size !== template.idOffsets.length * 3) throw new Error(`${name}: stamped ids repeat`);
  }
  const seen: number[] = [];
  const split = createFrameSplitter((_, body) => seen.push(body.readUInt16BE(0)));
  const stream = Buffer.concat([encodePuback(1), encodePuback(258), encodePuback(65535)]);
  for (let i = 0; i < stream.length; i++) split(stream.subarray(i, i + 1));
  if (seen.join() !== '1,258,65535') throw new Error(`frame splitter read ${seen.join()}`);
  return { eventsPerMessage };
}
