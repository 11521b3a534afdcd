/**
 * The agent as a standalone process, started by `bin/vigil-agent` (which adds the V8 flags a
 * device should run it with). Settings come from `VIGIL_AGENT_CONFIG` / `--config <file>` and the
 * `VIGIL_AGENT_*` variables (run/README.md). SIGTERM and SIGINT write what is still queued to the
 * disk buffer and exit 0; a configuration the agent refuses prints every violation and exits 2.
 */
import { AgentConfigurationError, runAgent, type RunningAgent } from './run/index.js';

/** Exit code of a refused configuration, the same as `vigil agent`'s. */
const EXIT_INVALID_CONFIGURATION = 2;

const args = process.argv.slice(2);
const configAt = args.indexOf('--config');
const configFile = configAt >= 0 ? args[configAt + 1] : undefined;
if (args.length > 0 && (configFile === undefined || args.length !== 2)) {
  process.stderr.write('usage: vigil-agent [--config <file>]   (settings: VIGIL_AGENT_* variables)\n');
  process.exit(EXIT_INVALID_CONFIGURATION);
}

// Handlers go in before the agent starts: a SIGTERM during start-up (a service manager giving up)
// must still stop it cleanly, not kill it with what it had queued.
let agent: RunningAgent | undefined;
let stopRequested = false;
const stop = (): void => {
  stopRequested = true;
  if (agent !== undefined) void agent.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

try {
  agent = await runAgent(configFile === undefined ? {} : { configFile });
  if (stopRequested) stop();
} catch (error) {
  if (!(error instanceof AgentConfigurationError)) throw error;
  process.stderr.write(
    `refused: ${error.code}: the agent configuration has ${error.violations.length} problem(s)\n`,
  );
  for (const v of error.violations) process.stderr.write(`  ${v.path}: ${v.message}\n`);
  process.exit(EXIT_INVALID_CONFIGURATION);
}
