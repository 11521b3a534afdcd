import type { Store } from '../ports/index.js';

/** Options a contract test may pass when (re)opening the store under test. */
export interface ContractOpenOptions {
  readonly secretKey?: Buffer;
  readonly secretKeyFile?: string;
}

/** What an adapter's test file supplies to {@link defineStoreContractTests}. */
export interface StoreContractHarness {
  /** Points the harness at a new, empty database; called before each test. */
  fresh(): Promise<void>;
  /** Opens the store on the current database; every call until the next `fresh()` reaches the same data. */
  open(options?: ContractOpenOptions): Promise<Store>;
  /** Overwrites the recorded schema version, as newer code would have (the store must be closed). */
  setSchemaVersion(version: number): Promise<void>;
  /** Everything stored, as raw text (the SQLite files' bytes; PostgreSQL rows as text), to look for secrets. */
  rawDump(): Promise<string>;
  /** A directory the test may write key files into. */
  scratchDir(): string;
}

/** What each area's contract receives. */
export interface ContractContext {
  readonly harness: StoreContractHarness;
  /** Opens the store; it is closed after the test. */
  readonly open: (options?: ContractOpenOptions) => Promise<Store>;
}
