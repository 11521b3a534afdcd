/**
 * The agent's `AgentId` (reference/azure-security-module.md §2.1: a GUID per installation), created
 * once and kept in the data directory so it survives restarts, and the agent's version.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `AgentVersion` of this agent (the package version). */
export const AGENT_VERSION = '0.1.0';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id stored in `dataDir/agent-id`, or a new one written there (atomically) first. */
export function loadOrCreateAgentId(dataDir: string): string {
  const path = join(dataDir, 'agent-id');
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (GUID.test(stored)) return stored.toLowerCase();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const id = randomUUID();
  writeFileSync(`${path}.tmp`, `${id}\n`, { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
  return id;
}
