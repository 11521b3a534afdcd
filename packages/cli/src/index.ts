/**
 * @vigil/cli: the `vigil` command. The binary is `bin.ts`; `runCli` runs the same command line
 * in-process (tests, embedding).
 */
export { runCli, EXIT_CODES } from './run-cli.js';
export { UsageError, processIo, type CliIo } from './io.js';
