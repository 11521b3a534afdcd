import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ThreatIntelFeedConfig } from '@vigil/storage';
import type { FeedError } from './feed-parser.js';

/** A feed body read within bounds, or why not. */
export type SourceOutcome =
  | { readonly ok: true; readonly text: string; readonly bytes: number }
  | { readonly ok: false; readonly error: FeedError };

/** What {@link readSource} needs besides the source. */
export interface SourceOptions {
  readonly maxBytes: number;
  /** Aborted when the load's time is up. */
  readonly signal: AbortSignal;
  readonly fetch: typeof globalThis.fetch;
}

const decoder = new TextDecoder('utf-8');

function fail(code: FeedError['code'], message: string): SourceOutcome {
  return { ok: false, error: { code, message } };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Concatenates chunks read so far; only called once the total is known to be within bounds. */
function join(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

async function readUrl(url: URL, options: SourceOptions): Promise<SourceOutcome> {
  const response = await options.fetch(url, { signal: options.signal, redirect: 'follow' });
  if (!response.ok) {
    await response.body?.cancel();
    return fail('HTTP_STATUS', `GET ${url.href} answered ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    return fail(
      'TOO_LARGE',
      `GET ${url.href} declares ${declared} bytes, above the ${options.maxBytes}-byte limit`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    // Counted while streaming: a server may omit or understate Content-Length.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel();
        return fail('TOO_LARGE', `GET ${url.href} sent more than ${options.maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  return { ok: true, text: decoder.decode(join(chunks, total)), bytes: total };
}

async function readLocal(path: string, options: SourceOptions): Promise<SourceOutcome> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > options.maxBytes)
      return fail('TOO_LARGE', `${path} is ${size} bytes, above the ${options.maxBytes}-byte limit`);
    // Read one byte past the limit, so a file that grew since stat() is still caught.
    const buffer = new Uint8Array(Math.min(options.maxBytes + 1, size + 65536));
    let total = 0;
    for (;;) {
      options.signal.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, total, buffer.byteLength - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes)
        return fail('TOO_LARGE', `${path} grew above the ${options.maxBytes}-byte limit`);
      if (total === buffer.byteLength) return fail('TOO_LARGE', `${path} grew while being read`);
    }
    return { ok: true, text: decoder.decode(buffer.subarray(0, total)), bytes: total };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a feed's body from a local file (a path or `file:` URL) or an `http:`/`https:` URL, never more
 * than `maxBytes`, until `signal` aborts. Failures are outcomes, not throws: the loader keeps the last
 * good copy of the feed and reports the error.
 */
export async function readSource(
  source: ThreatIntelFeedConfig['source'],
  options: SourceOptions,
): Promise<SourceOutcome> {
  let url: URL | undefined;
  if (source.type === 'url') {
    try {
      url = new URL(source.location);
    } catch {
      return fail('BAD_SOURCE', `not a URL: ${source.location}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return fail('BAD_SOURCE', `only http: and https: feeds are fetched, not ${url.protocol}`);
    }
  }
  try {
    if (url) return await readUrl(url, options);
    const path = source.location.startsWith('file:') ? fileURLToPath(source.location) : source.location;
    return await readLocal(path, options);
  } catch (error) {
    if (options.signal.aborted) return fail('TIMEOUT', `reading ${source.location} took too long`);
    return fail(
      url ? 'FETCH_FAILED' : 'READ_FAILED',
      `reading ${source.location} failed: ${describe(error)}`,
    );
  }
}
