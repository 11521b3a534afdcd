import { Command, CommanderError } from 'commander';
import { isProtocolError } from '@vigil/protocol';
import { ServerConfigError } from '@vigil/server';
import { registerAgentCommand } from './commands/agent.js';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerC2dCommand } from './commands/c2d.js';
import { registerCertificatesCommand } from './commands/certificates.js';
import { registerCheckCommand } from './commands/check.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDeviceCommand } from './commands/device.js';
import { registerFeedsCommand } from './commands/feeds.js';
import { registerDiagnosticSettingsCommand } from './commands/diagnostic-settings.js';
import { registerGroupsCommand } from './commands/groups.js';
import { registerInvokeCommand } from './commands/invoke.js';
import { registerIpFilterCommand } from './commands/ip-filter.js';
import { registerOperationsCommand } from './commands/operations.js';
import { registerRecommendationsCommand } from './commands/recommendations.js';
import { registerSasTokenCommand } from './commands/sas-token.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTokenCommand } from './commands/token.js';
import { registerTwinCommand } from './commands/twin.js';
import { UsageError, type CliIo } from './io.js';

/** The process exit codes of `vigil`. */
export const EXIT_CODES = {
  ok: 0,
  /** The input was refused: an invalid message, a malformed token, a failed check. */
  refused: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;

/** Every subcommand registers itself on the program with this signature. */
export type RegisterCommand = (program: Command, io: CliIo, setExitCode: (code: number) => void) => void;

const COMMANDS: readonly RegisterCommand[] = [
  registerServeCommand,
  registerDemoCommand,
  registerCheckCommand,
  registerSasTokenCommand,
  registerAlertsCommand,
  registerRecommendationsCommand,
  registerDeviceCommand,
  registerFeedsCommand,
  registerTwinCommand,
  registerTokenCommand,
  registerInvokeCommand,
  registerC2dCommand,
  registerCertificatesCommand,
  registerIpFilterCommand,
  registerDiagnosticSettingsCommand,
  registerOperationsCommand,
  registerGroupsCommand,
  registerSimulateCommand,
  registerAgentCommand,
];

function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('vigil')
    .description('Vigil: open, self-hosted security monitoring for IoT fleets')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, io, setExitCode);
  // Subcommands inherit the output and exit behaviour, so tests capture their help and errors too.
  const configure = (commands: readonly Command[]): void => {
    for (const command of commands) {
      command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
      configure(command.commands);
    }
  };
  configure(program.commands);
  return program;
}

/**
 * Runs the `vigil` command line and returns the exit code ({@link EXIT_CODES}). Errors a user can act
 * on are printed, never thrown; anything else is a bug and propagates.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT_CODES.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Help and version output are successes; every other commander error is a usage mistake.
      return thrown.code === 'commander.helpDisplayed' || thrown.code === 'commander.version'
        ? EXIT_CODES.ok
        : EXIT_CODES.usage;
    }
    if (thrown instanceof UsageError) {
      io.stderr(`error: ${thrown.message}\n(run \`vigil ${argv[0] ?? ''} --help\` for usage)\n`);
      return EXIT_CODES.usage;
    }
    if (thrown instanceof ServerConfigError) {
      io.stderr(`error: ${thrown.message}\n`);
      return EXIT_CODES.usage;
    }
    if (isSystemError(thrown)) {
      const hint =
        thrown.code === 'EADDRINUSE'
          ? '\n(another program uses that port: stop it, or choose other ports with --api-port / --mqtts-port)'
          : '';
      io.stderr(`error: ${thrown.message}${hint}\n`);
      return EXIT_CODES.usage;
    }
    if (isProtocolError(thrown)) {
      io.stderr(`refused: ${thrown.code}: ${thrown.message}\n`);
      return EXIT_CODES.refused;
    }
    throw thrown;
  }
}

const SYSTEM_ERRORS = new Set(['ENOENT', 'EISDIR', 'EACCES', 'EPERM', 'EADDRINUSE', 'EADDRNOTAVAIL']);

/** A file that cannot be read or a port that cannot be bound: the user can fix it, so no stack trace. */
function isSystemError(thrown: unknown): thrown is Error & { code: string } {
  const code = (thrown as { code?: unknown } | null)?.code;
  return thrown instanceof Error && typeof code === 'string' && SYSTEM_ERRORS.has(code);
}
