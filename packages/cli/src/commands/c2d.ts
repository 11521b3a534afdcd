import type { C2dAck, C2dMessageView, C2dState } from '@vigil/api-client';
import { UsageError } from '../io.js';
import type { RegisterCommand } from '../run-cli.js';
import {
  clientFrom,
  collectOption,
  parseChoiceOption,
  parseIntegerOption,
  printJson,
  printResult,
  runApiCommand,
  withApiOptions,
  type ApiFlags,
} from './api-access.js';
import { formatIsoTime, formatTable } from './table.js';

interface SendFlags extends ApiFlags {
  readonly property?: readonly string[];
  readonly ttl?: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly ack?: string;
  readonly base64?: boolean;
}

const STATES: readonly C2dState[] = ['queued', 'delivered', 'expired', 'rejected', 'purged'];
const ACKS: readonly C2dAck[] = ['none', 'positive', 'negative', 'full'];
/** IoT Hub's longest C2D time to live: 48 hours. */
const MAX_TTL_SECONDS = 48 * 3600;
const PREVIEW = 40;

/** `--property key=value` pairs as a property map; a pair without `=` or a repeated key is a usage error. */
function propertiesOf(pairs: readonly string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--property must be key=value (got ${pair})`);
    const key = pair.slice(0, at);
    if (key in properties) throw new UsageError(`--property ${key} is given twice`);
    properties[key] = pair.slice(at + 1);
  }
  return properties;
}

/** The body as a person scans it: the text when it is printable, else its size. */
function preview(message: C2dMessageView): string {
  const bytes = Buffer.from(message.body, 'base64');
  const text = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters mean "not text".
  if (text.includes('\uFFFD') || /[\u0000-\u0008\u000E-\u001F]/.test(text)) return `(${bytes.length} bytes)`;
  const line = JSON.stringify(text);
  return line.length > PREVIEW ? `${line.slice(0, PREVIEW - 1)}…` : line;
}

/** `vigil c2d send|list|purge`: a device's cloud-to-device queue. */
export const registerC2dCommand: RegisterCommand = (program, io, setExitCode) => {
  const c2d = program.command('c2d').description("send cloud-to-device messages and manage a device's queue");

  withApiOptions(
    c2d
      .command('send <deviceId> <body>')
      .description('queue a message for a device; it is delivered when the device is subscribed')
      .option('--property <key=value>', 'an application property (repeatable)', collectOption)
      .option('--ttl <seconds>', `how long it may wait in the queue (1–${MAX_TTL_SECONDS}, hub default 1 h)`)
      .option('--message-id <id>', 'the message id (generated otherwise)')
      .option('--correlation-id <id>', 'the correlation id')
      .option('--content-type <type>', 'e.g. application/json')
      .option('--content-encoding <encoding>', 'e.g. utf-8')
      .option('--ack <kind>', `the feedback asked of the device: ${ACKS.join(', ')}`)
      .option('--base64', 'the body argument is base64 (binary bodies)')
      .option('--json', 'print the queued message as JSON'),
  ).action(async (deviceId: string, body: string, flags: SendFlags) => {
    const { client, url } = clientFrom(flags);
    const properties = propertiesOf(flags.property ?? []);
    const ttlSeconds = parseIntegerOption('--ttl', flags.ttl, 1, MAX_TTL_SECONDS);
    const ack = parseChoiceOption('--ack', flags.ack, ACKS);
    const optional = {
      messageId: flags.messageId,
      correlationId: flags.correlationId,
      contentType: flags.contentType,
      contentEncoding: flags.contentEncoding,
    };
    await runApiCommand(io, setExitCode, url, async () => {
      const message = await client.c2d.send(deviceId, {
        body,
        ...(flags.base64 === true ? { bodyEncoding: 'base64' } : {}),
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
        ...(ack === undefined ? {} : { ack }),
        ...(properties === undefined ? {} : { properties }),
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });
      printResult(
        io,
        flags,
        message,
        (sent) =>
          `queued message ${sent.messageId ?? sent.id} for ${sent.deviceId} (expires ${formatIsoTime(sent.expiryTime)})\n`,
      );
    });
  });

  withApiOptions(
    c2d
      .command('list <deviceId>')
      .description("a device's messages, newest first, and how many wait in its queue")
      .option('--state <state>', STATES.join(', '))
      .option('--limit <n>', 'at most this many (1–1000, default 100)')
      .option('--json', 'print as JSON'),
  ).action(
    async (deviceId: string, flags: ApiFlags & { readonly state?: string; readonly limit?: string }) => {
      const { client, url } = clientFrom(flags);
      const state = parseChoiceOption('--state', flags.state, STATES);
      const limit = parseIntegerOption('--limit', flags.limit, 1, 1000);
      await runApiCommand(io, setExitCode, url, async () => {
        const page = await client.c2d.list(deviceId, {
          ...(state === undefined ? {} : { state }),
          ...(limit === undefined ? {} : { limit }),
        });
        if (flags.json === true) {
          printJson(io, page);
          return;
        }
        // The queue depth is what waits for the device, whatever this listing's filter or limit.
        const queued = (await client.c2d.list(deviceId, { state: 'queued', limit: 1000 })).items.length;
        if (page.items.length > 0) {
          io.stdout(
            formatTable(
              ['ID', 'MESSAGE ID', 'STATE', 'DELIVERIES', 'ENQUEUED', 'EXPIRES', 'BODY'],
              page.items.map((message) => [
                message.id,
                message.messageId ?? '-',
                message.state,
                String(message.deliveryCount),
                formatIsoTime(message.enqueuedTime),
                formatIsoTime(message.expiryTime),
                preview(message),
              ]),
            ),
          );
        } else io.stdout(`no messages${state === undefined ? '' : ` ${state}`} for ${deviceId}\n`);
        io.stdout(`queue depth: ${queued} message(s) waiting for ${deviceId}\n`);
      });
    },
  );

  withApiOptions(
    c2d
      .command('purge <deviceId>')
      .description("drop every message waiting in a device's queue")
      .option('--json', 'print the result as JSON'),
  ).action(async (deviceId: string, flags: ApiFlags) => {
    const { client, url } = clientFrom(flags);
    await runApiCommand(io, setExitCode, url, async () => {
      const result = await client.c2d.purge(deviceId);
      printResult(
        io,
        flags,
        result,
        (purged) => `purged ${purged.totalMessagesPurged} message(s) from the queue of ${purged.deviceId}\n`,
      );
    });
  });
};
