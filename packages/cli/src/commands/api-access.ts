import type { Command } from 'commander';
import { VigilApiError, VigilClient } from '@vigil/api-client';
import { UsageError, type CliIo } from '../io.js';

/** Where the API is when neither `--url` nor `VIGIL_URL` says (the default of `vigil serve`). */
export const DEFAULT_API_URL = 'http://127.0.0.1:4280';

/** Exit code of a command the API refused (its code and every violation are printed). */
export const EXIT_REFUSED = 1;
/** Exit code when the API cannot be reached at all. */
export const EXIT_UNREACHABLE = 3;

/** The flags every API command takes. */
export interface ApiFlags {
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
}

/** Adds `--url` and `--token` (falling back to `VIGIL_URL` and `VIGIL_TOKEN`). */
export function withApiOptions(command: Command, urlFlag = '--url'): Command {
  return command
    .option(`${urlFlag} <url>`, `the Vigil API (env VIGIL_URL; default ${DEFAULT_API_URL})`)
    .option(
      '--token <token>',
      'an API token (env VIGIL_TOKEN); `vigil serve` prints the admin token on first start',
    );
}

/** A typed client from the flags, or a usage error naming what is missing. */
export function clientFrom(flags: {
  readonly url?: string;
  readonly apiUrl?: string;
  readonly token?: string;
}): {
  client: VigilClient;
  url: string;
} {
  const url = (flags.apiUrl ?? flags.url ?? process.env.VIGIL_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const token = flags.token ?? process.env.VIGIL_TOKEN;
  if (token === undefined || token === '') {
    throw new UsageError(
      'no API token: pass --token <token> or set VIGIL_TOKEN (the admin token `vigil serve` printed on its first start)',
    );
  }
  if (!/^https?:\/\//.test(url))
    throw new UsageError(`the API URL must start with http:// or https:// (got ${url})`);
  return { client: new VigilClient({ baseUrl: url, token }), url };
}

/** The API's refusal as a person reads it: code, status, message, then every violation. */
export function describeApiError(error: VigilApiError): string {
  const lines = [`refused: ${error.code} (HTTP ${error.status}): ${error.message}`];
  lines.push(
    ...error.details.map(
      (violation) =>
        `  ${violation.path}: ${violation.message}${violation.code === undefined ? '' : ` [${violation.code}]`}`,
    ),
  );
  if (error.code === 'UNAUTHENTICATED') lines.push('  (check --token or VIGIL_TOKEN)');
  if (error.code === 'FORBIDDEN') lines.push('  (this needs an admin token)');
  return `${lines.join('\n')}\n`;
}

/**
 * Runs one API command: a refusal prints the API's code and every violation (exit 1), an
 * unreachable server says where it looked (exit 3). Anything else propagates.
 */
export async function runApiCommand(
  io: CliIo,
  setExitCode: (code: number) => void,
  url: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (thrown) {
    if (thrown instanceof VigilApiError) {
      io.stderr(describeApiError(thrown));
      setExitCode(EXIT_REFUSED);
      return;
    }
    if (thrown instanceof TypeError && /fetch failed/i.test(thrown.message)) {
      const cause = thrown.cause instanceof Error ? `: ${thrown.cause.message}` : '';
      io.stderr(
        `error: cannot reach the Vigil API at ${url}${cause}\n  (is \`vigil serve\` running there? set --url or VIGIL_URL)\n`,
      );
      setExitCode(EXIT_UNREACHABLE);
      return;
    }
    throw thrown;
  }
}

/** Parses a JSON option value, or a usage error naming the option. */
export function parseJsonOption(name: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${name} must be JSON: ${(error as Error).message}`);
  }
}

/** Parses a whole-number option within bounds, or a usage error. */
export function parseIntegerOption(
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got ${text})`);
  }
  return value;
}

/** Writes a value as indented JSON. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints `value` as JSON with `--json`, or the human text `describe` makes of it otherwise. */
export function printResult<T>(
  io: CliIo,
  flags: { readonly json?: boolean },
  value: T,
  describe: (value: T) => string,
): void {
  if (flags.json === true) printJson(io, value);
  else io.stdout(describe(value));
}

/** Commander's collector for a repeatable option (`--property a=1 --property b=2`). */
export function collectOption(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Checks an option against its allowed values, or a usage error listing them. */
export function parseChoiceOption<T extends string>(
  name: string,
  text: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`${name} must be ${choices.join(', ')} (got ${text})`);
  }
  return text as T;
}
