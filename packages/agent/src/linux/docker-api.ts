/**
 * A minimal read-only client of the Docker Engine API over its unix socket: `GET` a path, get JSON
 * back. Only what the containers collector needs; no dependency on a Docker SDK. Paths are
 * unversioned (`/containers/json`): the engine then answers in its own latest API version, which
 * keeps old and new engines working without a version negotiation round trip.
 */
import { request } from 'node:http';

/** The socket the Docker engine listens on by default. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Why a Docker API call failed; `code` is stable for collectors to map. */
export type DockerApiErrorCode =
  /** Nothing listens at the socket path (`ENOENT`, `ECONNREFUSED`): no Docker engine. */
  | 'NO_ENGINE'
  /** The agent may not open the socket (`EACCES`). */
  | 'PERMISSION_DENIED'
  /** The engine answered with an HTTP error status. */
  | 'HTTP_STATUS'
  /** The answer was not JSON, or larger than the cap. */
  | 'BAD_RESPONSE'
  /** Timed out or aborted. */
  | 'ABORTED';

/** A failed Docker API call. */
export class DockerApiError extends Error {
  /** Builds it; `message` names the socket and path, `status` is the HTTP status of an `HTTP_STATUS` error. */
  constructor(
    readonly code: DockerApiErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/** Options of {@link createDockerApiClient}. */
export interface DockerApiClientOptions {
  readonly socketPath?: string;
  /** Cap on one response body; a daemon (or anything else on the socket) cannot exhaust memory. Default 4 MiB. */
  readonly maxResponseBytes?: number;
  /** Per-request timeout, default 10 s. */
  readonly timeoutMs?: number;
}

/** A read-only Docker Engine API client. */
export interface DockerApiClient {
  readonly socketPath: string;
  /** `GET path` → the parsed JSON body; throws {@link DockerApiError}. */
  get(path: string, signal?: AbortSignal): Promise<unknown>;
}

const errnoOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** A client for the engine at `socketPath` (default {@link DEFAULT_DOCKER_SOCKET}). */
export function createDockerApiClient(options: DockerApiClientOptions = {}): DockerApiClient {
  const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    socketPath,
    get(path, signal) {
      return new Promise((resolve, reject) => {
        const fail = (code: DockerApiErrorCode, text: string, status?: number) =>
          reject(new DockerApiError(code, `Docker API ${socketPath} GET ${path}: ${text}`, status));
        const req = request(
          { socketPath, path, method: 'GET', headers: { Host: 'docker', Accept: 'application/json' } },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.byteLength;
              if (size > maxBytes) {
                req.destroy();
                fail('BAD_RESPONSE', `response larger than ${maxBytes} bytes`);
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', (error) => fail('BAD_RESPONSE', error.message));
            res.on('end', () => {
              if (size > maxBytes) return;
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status < 200 || status >= 300) {
                // The engine's error bodies are `{"message": "..."}`; keep it short in the error.
                fail('HTTP_STATUS', `HTTP ${status} ${text.slice(0, 200).trim()}`, status);
                return;
              }
              try {
                resolve(JSON.parse(text) as unknown);
              } catch {
                fail('BAD_RESPONSE', 'the answer is not JSON');
              }
            });
          },
        );
        req.setTimeout(timeoutMs, () => {
          req.destroy();
          fail('ABORTED', `no answer within ${timeoutMs} ms`);
        });
        const onAbort = () => {
          req.destroy();
          fail('ABORTED', 'aborted');
        };
        if (signal?.aborted === true) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        req.on('close', () => signal?.removeEventListener('abort', onAbort));
        req.on('error', (error) => {
          const errno = errnoOf(error);
          if (errno === 'ENOENT' || errno === 'ECONNREFUSED' || errno === 'ENOTSOCK') {
            fail('NO_ENGINE', `no Docker engine (${errno})`);
          } else if (errno === 'EACCES' || errno === 'EPERM') {
            fail(
              'PERMISSION_DENIED',
              `permission denied (${errno}); the agent needs the docker group or root`,
            );
          } else fail('BAD_RESPONSE', error.message);
        });
        req.end();
      });
    },
  };
}
