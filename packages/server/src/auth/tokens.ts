import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What a token may do: viewers read, admins also change things. */
export type Role = 'viewer' | 'admin';

/** A stored API token: only its SHA-256 hash is kept, so the file never holds a usable secret. */
export interface TokenRecord {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly hash: string;
  readonly createdAt: number;
}

/** The tokens file inside the data directory. */
export const TOKENS_FILE = 'api-tokens.json';
const TOKEN_PREFIX = 'vgl_';

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** API tokens, persisted as hashes in `<dataDir>/api-tokens.json` (mode 0600). */
export class TokenStore {
  readonly #file: string;
  #records: TokenRecord[];

  private constructor(file: string, records: TokenRecord[]) {
    this.#file = file;
    this.#records = records;
  }

  /** Opens (or starts) the token file of a data directory. */
  static async open(dataDir: string): Promise<TokenStore> {
    const file = join(dataDir, TOKENS_FILE);
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { tokens?: TokenRecord[] };
      return new TokenStore(file, Array.isArray(parsed.tokens) ? parsed.tokens : []);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new TokenStore(file, []);
      throw new Error(`cannot read the API tokens file ${file}: ${(error as Error).message}`);
    }
  }

  /** True when no token exists yet (first start: the server creates an admin token and shows it once). */
  get isEmpty(): boolean {
    return this.#records.length === 0;
  }

  /** Creates a token and returns its secret text; only the hash is stored. */
  async create(role: Role, name: string, now = Date.now()): Promise<{ token: string; record: TokenRecord }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: randomBytes(6).toString('hex'),
      role,
      name,
      hash: hashToken(token).toString('hex'),
      createdAt: now,
    };
    this.#records = [...this.#records, record];
    await this.#save();
    return { token, record };
  }

  /** The role of a presented token, or undefined; every stored hash is compared in constant time. */
  verify(token: string): TokenRecord | undefined {
    const presented = hashToken(token);
    let match: TokenRecord | undefined;
    for (const record of this.#records) {
      const stored = Buffer.from(record.hash, 'hex');
      if (stored.length === presented.length && timingSafeEqual(stored, presented)) match = record;
    }
    return match;
  }

  /** Token metadata (never the secrets). */
  list(): readonly Omit<TokenRecord, 'hash'>[] {
    return this.#records.map(({ hash: _hash, ...rest }) => rest);
  }

  /** Revokes a token by id; false when unknown. */
  async revoke(id: string): Promise<boolean> {
    const before = this.#records.length;
    this.#records = this.#records.filter((record) => record.id !== id);
    if (this.#records.length === before) return false;
    await this.#save();
    return true;
  }

  async #save(): Promise<void> {
    await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
    const temporary = `${this.#file}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ tokens: this.#records }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.#file);
  }
}
