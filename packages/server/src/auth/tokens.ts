import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What a token may do: viewers read, admins also change things. */
export type Role = 'viewer' | 'admin';

/** Every role, as the API and CLI accept them. */
export const ROLES: readonly Role[] = ['viewer', 'admin'];

/** A stored API token: only its SHA-256 hash is kept, so the file never holds a usable secret. */
export interface TokenRecord {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly hash: string;
  readonly createdAt: number;
  /** The first characters of the secret (`vgl_` and four more), so an operator can tell tokens apart. */
  readonly prefix?: string;
  /** When the token last authenticated a request (kept to the minute, see {@link LAST_USED_RESOLUTION_MS}). */
  readonly lastUsedAt?: number;
}

/** A token as it may be shown: everything but the hash. */
export interface TokenView {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** The tokens file inside the data directory. */
export const TOKENS_FILE = 'api-tokens.json';
const TOKEN_PREFIX = 'vgl_';
/** How many characters of a secret are kept and shown as its prefix (`vgl_` + 4: 24 of 256 bits). */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;
/** Most tokens a server keeps: each request compares against all of them. */
export const MAX_TOKENS = 100;
/** A token name: 1–64 printable characters. */
export const TOKEN_NAME_PATTERN = /^[^\p{Cc}]{1,64}$/u;
/**
 * `lastUsedAt` is written to the file at most this often per token, so a busy dashboard does not
 * rewrite the file on every request.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Why a token operation was refused (the API maps these to its stable codes). */
export class TokenStoreError extends Error {
  override readonly name = 'TokenStoreError';
  constructor(
    readonly code: 'INVALID' | 'LIMIT_EXCEEDED' | 'NOT_FOUND' | 'LAST_ADMIN',
    message: string,
  ) {
    super(message);
  }
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function view(record: TokenRecord): TokenView {
  return {
    id: record.id,
    role: record.role,
    name: record.name,
    prefix: record.prefix ?? '',
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt ?? null,
  };
}

/** API tokens, persisted as hashes in `<dataDir>/api-tokens.json` (mode 0600). */
export class TokenStore {
  readonly #file: string;
  #records: TokenRecord[];
  /** Saves run one after another, so a slow write never lands after a newer one. */
  #saving: Promise<void> = Promise.resolve();

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

  /**
   * Creates a token and returns its secret text; only the hash (and a short prefix) is stored.
   * `INVALID` for a bad name or role, `LIMIT_EXCEEDED` beyond {@link MAX_TOKENS}.
   */
  async create(role: Role, name: string, now = Date.now()): Promise<{ token: string; record: TokenRecord }> {
    if (!ROLES.includes(role))
      throw new TokenStoreError('INVALID', `role must be one of ${ROLES.join(', ')}`);
    if (!TOKEN_NAME_PATTERN.test(name))
      throw new TokenStoreError('INVALID', 'name must be 1 to 64 characters without control characters');
    if (this.#records.length >= MAX_TOKENS)
      throw new TokenStoreError('LIMIT_EXCEEDED', `at most ${MAX_TOKENS} tokens: revoke one first`);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: randomBytes(6).toString('hex'),
      role,
      name,
      hash: hashToken(token).toString('hex'),
      createdAt: now,
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    };
    this.#records = [...this.#records, record];
    await this.#save();
    return { token, record };
  }

  /**
   * The record of a presented token, or undefined; every stored hash is compared in constant time
   * (no early exit), so the answer's timing does not tell how close a guess was or which token matched.
   * A match notes its use (`lastUsedAt`), written to the file at most once a minute per token.
   */
  verify(token: string, now = Date.now()): TokenRecord | undefined {
    const presented = hashToken(token);
    let match: TokenRecord | undefined;
    for (const record of this.#records) {
      const stored = Buffer.from(record.hash, 'hex');
      if (stored.length === presented.length && timingSafeEqual(stored, presented)) match = record;
    }
    if (
      match !== undefined &&
      (match.lastUsedAt === undefined || now - match.lastUsedAt >= LAST_USED_RESOLUTION_MS)
    ) {
      const used: TokenRecord = { ...match, lastUsedAt: now };
      this.#records = this.#records.map((record) => (record === match ? used : record));
      match = used;
      // Best effort: a failed write only loses the use time, which the next one records.
      this.#save().catch(() => undefined);
    }
    return match;
  }

  /** Token metadata, oldest first (never the secrets or their hashes). */
  list(): readonly TokenView[] {
    return this.#records.map(view);
  }

  /** One token's metadata, or undefined. */
  get(id: string): TokenView | undefined {
    const record = this.#records.find((candidate) => candidate.id === id);
    return record === undefined ? undefined : view(record);
  }

  /**
   * Revokes a token by id; false when unknown. With `keepAnAdmin`, the last admin token is refused
   * (`LAST_ADMIN`): without one nobody could change anything or make a new token through the API.
   */
  async revoke(id: string, options: { readonly keepAnAdmin?: boolean } = {}): Promise<boolean> {
    const target = this.#records.find((record) => record.id === id);
    if (target === undefined) return false;
    if (
      options.keepAnAdmin === true &&
      target.role === 'admin' &&
      this.#records.filter((record) => record.role === 'admin').length === 1
    ) {
      throw new TokenStoreError('LAST_ADMIN', `token ${id} is the last admin token; create another first`);
    }
    this.#records = this.#records.filter((record) => record !== target);
    await this.#save();
    return true;
  }

  /** Waits for every pending write of the file (use times included). */
  flush(): Promise<void> {
    return this.#saving;
  }

  #save(): Promise<void> {
    const write = async (): Promise<void> => {
      await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
      const temporary = `${this.#file}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ tokens: this.#records }, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.#file);
    };
    const next = this.#saving.then(write, write);
    this.#saving = next.catch(() => undefined);
    return next;
  }
}
