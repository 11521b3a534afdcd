import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecurityMessage } from '@vigil/protocol';
import { startServer, TokenStore, type RunningServer } from '@vigil/server';
import { runCli } from '../run-cli.js';
import { captureIo } from '../testing/capture-io.js';

/** A real Vigil server for CLI tests: temporary SQLite data, API and plain MQTT on loopback ports. */
export interface ApiTestServer {
  readonly server: RunningServer;
  readonly adminToken: string;
  readonly viewerToken: string;
  /** Runs `vigil …` in-process against this server (its `--url`, and `--token` unless given). */
  run(
    args: readonly string[],
    options?: {
      readonly token?: string | null;
      readonly urlFlag?: string;
      readonly files?: Readonly<Record<string, Uint8Array>>;
      /** The command's clock (seconds since the epoch); the capture's fixed one otherwise. */
      readonly nowSeconds?: number;
    },
  ): Promise<CliResult>;
  close(): Promise<void>;
}

/** What a command printed and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Starts an {@link ApiTestServer} (a second token, a viewer's, is created next to the first admin one). */
export async function startApiTestServer(options: { readonly tls?: boolean } = {}): Promise<ApiTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-api-'));
  let adminToken = '';
  let viewerToken = '';
  const server = await startServer({
    dataDir,
    listeners: {
      mqtts: options.tls === true ? { port: 0, host: '127.0.0.1' } : false,
      wss: false,
      mqtt: { port: 0, host: '127.0.0.1' },
    },
    api: { port: 0 },
    decode: decodeSecurityMessage,
    logger: false,
    // Before the server reads its token file: an admin and a viewer token, as an operator would make.
    prepare: async () => {
      const tokens = await TokenStore.open(dataDir);
      adminToken = (await tokens.create('admin', 'cli tests')).token;
      viewerToken = (await tokens.create('viewer', 'cli tests')).token;
    },
  });
  return {
    server,
    adminToken,
    viewerToken,
    async run(args, options = {}) {
      const io = captureIo({
        ...(options.files === undefined ? {} : { files: options.files }),
        ...(options.nowSeconds === undefined ? {} : { nowSeconds: options.nowSeconds }),
      });
      const token = options.token === undefined ? adminToken : options.token;
      const code = await runCli(
        [...args, options.urlFlag ?? '--url', server.url, ...(token === null ? [] : ['--token', token])],
        io,
      );
      return { code, out: io.out(), err: io.err() };
    },
    async close() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
