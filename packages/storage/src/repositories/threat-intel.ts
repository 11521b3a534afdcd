import { StorageError } from '../errors/index.js';
import { boundedJson, parseJson } from '../limits.js';
import type { ThreatIntelFeed, ThreatIntelFeedConfig, ThreatIntelFeedRepository } from '../ports/index.js';
import { checkEtag, checkName, newEtag, type RepositoryContext } from './common.js';

interface FeedRow {
  name: string;
  document: string;
  etag: string;
  last_loaded_at: number | null;
  last_entry_count: number | null;
  last_set_aside: number | null;
  last_error: string | null;
  updated_at: number;
}

function fromRow(row: FeedRow): ThreatIntelFeed {
  const config = parseJson<Omit<ThreatIntelFeedConfig, 'name'>>(row.document);
  return {
    name: row.name,
    source: config.source,
    format: config.format,
    internal: config.internal,
    refreshIntervalMs: config.refreshIntervalMs,
    etag: row.etag,
    lastLoadedAt: row.last_loaded_at,
    lastEntryCount: row.last_entry_count,
    lastSetAside: row.last_set_aside,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  };
}

/** Threat-intelligence feed definitions over SQL. */
export function createThreatIntelFeedRepository({ db }: RepositoryContext): ThreatIntelFeedRepository {
  const select = (name: string, lock = '') =>
    db.get<FeedRow>(`SELECT * FROM threat_intel_feeds WHERE name = ?${lock}`, [name]);
  return {
    async get(name) {
      const row = await select(name);
      return row && fromRow(row);
    },
    async list() {
      return (await db.all<FeedRow>('SELECT * FROM threat_intel_feeds ORDER BY name LIMIT 1000')).map(
        fromRow,
      );
    },
    async put(feed, options = {}) {
      checkName('feed name', feed.name);
      const { name, ...config } = feed;
      const document = boundedJson(`feed ${name}`, config);
      const now = options.now ?? Date.now();
      return db.transaction(async (tx) => {
        const row = await tx.get<FeedRow>(`SELECT * FROM threat_intel_feeds WHERE name = ?${db.forUpdate}`, [
          name,
        ]);
        if (row) checkEtag(`feed ${name}`, row.etag, options.ifMatch);
        await tx.run(
          `INSERT INTO threat_intel_feeds (name, document, etag, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET document = excluded.document, etag = excluded.etag, updated_at = excluded.updated_at`,
          [name, document, newEtag(), now],
        );
        const updated = await tx.get<FeedRow>('SELECT * FROM threat_intel_feeds WHERE name = ?', [name]);
        if (!updated) throw new StorageError('NOT_FOUND', `feed ${name} does not exist`);
        return fromRow(updated);
      });
    },
    async recordLoad(name, load) {
      const changed = await db.run(
        `UPDATE threat_intel_feeds SET last_loaded_at = ?, last_entry_count = ?, last_set_aside = ?, last_error = ? WHERE name = ?`,
        [load.at, load.entryCount ?? null, load.setAside ?? null, load.error?.slice(0, 2000) ?? null, name],
      );
      if (changed === 0) throw new StorageError('NOT_FOUND', `feed ${name} does not exist`);
    },
    async delete(name) {
      return (await db.run('DELETE FROM threat_intel_feeds WHERE name = ?', [name])) > 0;
    },
  };
}
