/**
 * A real agent process for crash tests: `runAgent` over plain MQTT with the numbered test collector
 * and the twin's own message frequencies (PT7M / PT5H, so nothing is sent early by accident). It
 * prints JSON lines on stdout — `{"emitted": id}` for each event collected and, every 50 ms,
 * `{"status": …}` with the state, the events and messages held only in memory and the disk buffer's records — so the
 * parent can SIGKILL it at a moment it chose. Settings come from the environment:
 * VIGIL_TEST_CONNECTION_STRING, VIGIL_TEST_DATA_DIR, VIGIL_TEST_EVENTS (how many events to collect).
 *
 * Run: node --conditions=@vigil/source --import tsx test/agent/support/agent-child.ts
 */
import { runAgent } from '@vigil/agent';
import { createNumberedCollector } from './numbered-collector.js';

const env = process.env;
const limit = Number(env['VIGIL_TEST_EVENTS'] ?? '0');
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
let emitted = 0;

const agent = await runAgent({
  connectionString: env['VIGIL_TEST_CONNECTION_STRING'] ?? '',
  dataDir: env['VIGIL_TEST_DATA_DIR'] ?? '',
  transport: 'mqtt',
  env: {},
  logLevel: 'warn',
  remoteConfiguration: false,
  collectorInstances: [
    createNumberedCollector([], {
      limit,
      onEmit: (id) => {
        emitted += 1;
        say({ emitted: id });
      },
    }),
  ],
  coreConfiguration: {
    firstCollectionMs: 0,
    priorityIntervalsMs: { High: 50 },
    publishCheckMs: 50,
    retryTimeMs: 100,
  },
  transportTuning: { backoff: { initialMs: 50, maxMs: 300, factor: 2, jitter: 0.5 } },
});

setInterval(() => {
  const s = agent.core.statistics();
  say({
    status: {
      // How many events were emitted when this status was taken: a status line read after the
      // last `emitted` line may still predate it (both arrive in one chunk).
      emitted,
      state: s.state,
      queuedEvents: s.queuedEvents,
      unsavedMessages: s.unsavedMessages,
      diskRecords: s.disk.pendingRecords,
    },
  });
}, 50);
process.on('SIGTERM', () => {
  void agent.stop().then(() => process.exit(0));
});
