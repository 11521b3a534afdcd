import { decodeSecurityMessage } from '@vigil/protocol';
import { describeError, describeMessage } from '../format.js';
import { EXIT_CODES, type RegisterCommand } from '../run-cli.js';

/**
 * `vigil check`: decodes a security message file exactly as Vigil's ingest path does and prints the
 * normalised events, or every reason it would be refused (exit code 1).
 */
export const registerCheckCommand: RegisterCommand = (program, io, setExitCode) => {
  program
    .command('check')
    .description('decode and validate a security message file (JSON 1.0, or FlatBuffers with --mti)')
    .argument('<file>', 'the message body')
    .option('--mti <value>', 'the message type indicator property, e.g. 2.3-1-0-0 for Azure RTOS FlatBuffers')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { readonly mti?: string; readonly json?: boolean }) => {
      const result = decodeSecurityMessage(
        await io.readFile(file),
        options.mti === undefined ? {} : { mti: options.mti },
      );
      if (options.json === true) {
        io.stdout(
          `${JSON.stringify(result.ok ? { ok: true, message: result.message } : { ok: false, error: { code: result.error.code, message: result.error.message, violations: result.error.violations } }, null, 2)}\n`,
        );
      } else {
        io.stdout(result.ok ? describeMessage(result.message) : describeError(result.error));
      }
      setExitCode(result.ok ? EXIT_CODES.ok : EXIT_CODES.refused);
    });
};
