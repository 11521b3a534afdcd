/**
 * Test support for the SIGKILL crash test: runs the appender child, kills it at a random moment,
 * and checks that every append it saw acknowledged is in the reopened store.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Store } from '../ports/index.js';

const CHILD = fileURLToPath(new URL('../__fixtures__/crash-appender.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** One acknowledged append as the child reported it. */
export interface Ack {
  readonly first: number;
  readonly count: number;
  readonly tag: string;
}

/** A small deterministic PRNG (mulberry32), so kill moments are reproducible from the seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts the child, waits for its first acknowledgement plus `killAfterMs`, SIGKILLs it and
 * resolves with every acknowledgement it printed (complete lines only).
 */
export function runAndKill(env: Record<string, string>, killAfterMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@vigil/source', '--import', 'tsx', CHILD], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [first, count, tag] = line.split(' ');
        if (tag === undefined) continue;
        acks.push({ first: Number(first), count: Number(count), tag });
        timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(giveUp);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the appender exited by itself (code ${code}): ${stderr}`));
      else if (acks.length === 0) reject(new Error(`killed before any acknowledgement: ${stderr}`));
      else resolve(acks);
    });
  });
}

/** Returns a description of every acknowledged record missing or wrong in the store (empty when all are there). */
export async function missingAcknowledged(store: Store, acks: readonly Ack[]): Promise<string[]> {
  const problems: string[] = [];
  for (const ack of acks) {
    const records = await store.ingestLog.read({
      group: 'crash',
      consumer: 'check',
      after: String(ack.first - 1),
      limit: ack.count,
    });
    for (let i = 0; i < ack.count; i++) {
      const record = records[i];
      if (
        record?.id !== String(ack.first + i) ||
        record.properties.tag !== ack.tag ||
        record.properties.i !== String(i)
      ) {
        problems.push(`record ${ack.first + i} of acknowledged append ${ack.tag} is missing or wrong`);
      }
      if (record?.body.length !== 1024)
        problems.push(`record ${ack.first + i} has a ${record?.body.length ?? 0}-byte body`);
    }
  }
  return problems;
}
