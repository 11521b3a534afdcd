import type { CliIo } from '../io.js';

/** A `CliIo` that records what a command printed, reads files from a map, and has a fixed clock. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** Builds a {@link CapturedIo}; files not in `files` read as ENOENT like the real file system. */
export function captureIo(
  options: { readonly files?: Readonly<Record<string, Uint8Array>>; readonly nowSeconds?: number } = {},
): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readFile: (path) => {
      const content = options.files?.[path];
      if (content === undefined) {
        return Promise.reject(
          Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' }),
        );
      }
      return Promise.resolve(content);
    },
    nowSeconds: () => options.nowSeconds ?? 1_800_000_000,
    out: () => out,
    err: () => err,
  };
}
