import { boundedJson, parseJson } from '../limits.js';
import type { HubSettings, HubSettingsInput, HubSettingsRepository } from '../ports/index.js';
import { checkEtag, newEtag, type RepositoryContext } from './common.js';

const DEFAULTS: HubSettingsInput = {
  ipFilter: { defaultAction: 'accept', rules: [] },
  diagnosticSettings: [],
};

interface SettingsRow {
  document: string;
  etag: string;
  updated_at: number;
}

function fromRow(row: SettingsRow | undefined): HubSettings {
  if (!row) return { ...DEFAULTS, etag: 'initial', updatedAt: 0 };
  const document = parseJson<HubSettingsInput>(row.document);
  return {
    ipFilter: document.ipFilter,
    diagnosticSettings: document.diagnosticSettings,
    etag: row.etag,
    updatedAt: row.updated_at,
  };
}

/** Hub settings over SQL: one row (id 1) holding the whole document. */
export function createHubSettingsRepository({ db }: RepositoryContext): HubSettingsRepository {
  return {
    async get() {
      return fromRow(
        await db.get<SettingsRow>('SELECT document, etag, updated_at FROM hub_settings WHERE id = 1'),
      );
    },
    async put(settings, options = {}) {
      const document = boundedJson('hub settings', {
        ipFilter: settings.ipFilter,
        diagnosticSettings: settings.diagnosticSettings,
      });
      const now = options.now ?? Date.now();
      return db.transaction(async (tx) => {
        const row = await tx.get<SettingsRow>(
          `SELECT document, etag, updated_at FROM hub_settings WHERE id = 1${db.forUpdate}`,
        );
        checkEtag('hub settings', fromRow(row).etag, options.ifMatch);
        const etag = newEtag();
        await tx.run(
          `INSERT INTO hub_settings (id, document, etag, updated_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET document = excluded.document, etag = excluded.etag, updated_at = excluded.updated_at`,
          [document, etag, now],
        );
        return fromRow({ document, etag, updated_at: now });
      });
    },
  };
}
