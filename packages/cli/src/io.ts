/** Where a command writes and what it may read, so tests run commands in-process and capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file named on the command line. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Seconds since the epoch; injected so token expiry is testable. */
  readonly nowSeconds: () => number;
}

/** A usage mistake: the command line itself is wrong. Printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The `CliIo` of a real process: its streams, its file system, its clock. */
export async function processIo(): Promise<CliIo> {
  const { readFile } = await import('node:fs/promises');
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: async (path) => new Uint8Array(await readFile(path)),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  };
}
