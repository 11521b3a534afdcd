/**
 * docker-api-stand-in: a STAND-IN for the Docker engine, because none runs here. A real HTTP server
 * on a loopback unix socket answering the two Docker Engine API endpoints the containers collector
 * uses — `GET /containers/json` and `GET /containers/{id}/json` — with fixture documents in the
 * engine's format (../../linux/__fixtures__/docker/), and the engine's `{"message": …}` 404s for
 * anything else. The collector's real HTTP client talks to it over the socket exactly as to dockerd.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = new URL('../../linux/__fixtures__/docker/', import.meta.url);

/** Reads one fixture document of the Docker format. */
export function dockerFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as unknown;
}

/** What the stand-in serves: the list, and inspect documents by container id. */
export interface DockerStandInContent {
  readonly list: unknown;
  readonly inspect: Readonly<Record<string, unknown>>;
  /** Raw text instead of JSON for every answer (a broken engine or another server on the socket). */
  readonly rawBody?: string;
}

/** A running stand-in. */
export interface DockerApiStandIn {
  readonly socketPath: string;
  /** Request paths in arrival order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** The three running containers of the fixtures. */
export function fixtureEngine(): DockerStandInContent {
  const inspect: Record<string, unknown> = {};
  for (const name of ['inspect-web.json', 'inspect-azureiotsecurity.json', 'inspect-node-exporter.json']) {
    const doc = dockerFixture(name) as { Id: string };
    inspect[doc.Id] = doc;
  }
  return { list: dockerFixture('containers-list.json'), inspect };
}

/** Starts the stand-in on a fresh socket in a temporary directory. */
export async function startDockerApiStandIn(content: DockerStandInContent): Promise<DockerApiStandIn> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-api-stand-in-'));
  const socketPath = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Api-Version': '1.45',
        Server: 'Docker/26.1.5 (linux)',
      });
      res.end(content.rawBody ?? `${JSON.stringify(body)}\n`);
    };
    if (req.method !== 'GET') return send(405, { message: `${req.method} not supported by the stand-in` });
    if (path === '/containers/json') return send(200, content.list);
    const match = /^\/containers\/([^/]+)\/json$/.exec(path);
    if (match !== null) {
      const id = decodeURIComponent(match[1]!);
      const doc = content.inspect[id];
      return doc === undefined ? send(404, { message: `No such container: ${id}` }) : send(200, doc);
    }
    return send(404, { message: 'page not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    requests,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
