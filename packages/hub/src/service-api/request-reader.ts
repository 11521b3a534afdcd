import type { ServiceViolation } from '../registry/index.js';

type Json = unknown;

/**
 * Reads a request body or query field by field, collecting every violation (with its path) instead
 * of stopping at the first, so `VALIDATION_FAILED` lists them all. Unknown fields are violations too:
 * a misspelt option must not be silently ignored.
 */
export class RequestReader {
  readonly violations: ServiceViolation[];
  private readonly value: Record<string, Json>;
  private readonly seen = new Set<string>();

  constructor(
    value: Json,
    private readonly path: string,
    violations: ServiceViolation[] = [],
  ) {
    this.violations = violations;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      this.value = value as Record<string, Json>;
    } else {
      this.value = {};
      if (value !== undefined || path === 'body') {
        violations.push({ path: path, message: 'must be a JSON object' });
      }
    }
  }

  private at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  private take(key: string): Json {
    this.seen.add(key);
    return this.value[key];
  }

  private fail(key: string, message: string): undefined {
    this.violations.push({ path: this.at(key), message });
    return undefined;
  }

  /** A string field; `max` characters at most. */
  string(
    key: string,
    options: { readonly required?: boolean; readonly max?: number } = {},
  ): string | undefined {
    const value = this.take(key);
    if (value === undefined) return options.required ? this.fail(key, 'is required') : undefined;
    if (typeof value !== 'string') return this.fail(key, 'must be a string');
    const max = options.max ?? 4096;
    if (value.length > max) return this.fail(key, `must be at most ${max} characters`);
    return value;
  }

  /** A string or null field (null means "clear it"). */
  nullableString(key: string, max = 4096): string | null | undefined {
    if (this.value[key] === null) {
      this.take(key);
      return null;
    }
    return this.string(key, { max });
  }

  /** One of the given strings. */
  oneOf<T extends string>(key: string, values: readonly T[], required = false): T | undefined {
    const value = this.string(key, { required });
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value))
      return this.fail(key, `must be one of ${values.join(', ')}`);
    return value as T;
  }

  /** A number field (query strings are converted), optionally an integer within bounds. */
  number(
    key: string,
    options: { readonly integer?: boolean; readonly min?: number; readonly max?: number } = {},
  ): number | undefined {
    const raw = this.take(key);
    if (raw === undefined) return undefined;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(key, 'must be a number');
    if (options.integer && !Number.isInteger(value)) return this.fail(key, 'must be an integer');
    if (
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      return this.fail(key, `must be from ${options.min ?? '-∞'} to ${options.max ?? '∞'}`);
    }
    return value;
  }

  /** A boolean field. */
  boolean(key: string): boolean | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.fail(key, 'must be true or false');
    return value;
  }

  /** A nested object, read with its own reader (violations shared). */
  object(key: string, options: { readonly required?: boolean } = {}): RequestReader | undefined {
    const value = this.take(key);
    if (value === undefined) return options.required ? this.fail(key, 'is required') : undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.fail(key, 'must be an object');
    return new RequestReader(value, this.at(key), this.violations);
  }

  /** A JSON object field returned as is (twin patches: validated by the twin rules). */
  rawObject(key: string): Record<string, Json> | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.fail(key, 'must be an object');
    return value as Record<string, Json>;
  }

  /** Any JSON value (method payloads). */
  any(key: string): Json {
    return this.take(key);
  }

  /** An array field whose items are read by `item` (each with its own path). */
  array<T>(
    key: string,
    item: (value: Json, path: string) => T | undefined,
    options: { readonly required?: boolean; readonly max?: number } = {},
  ): T[] | undefined {
    const value = this.take(key);
    if (value === undefined) return options.required ? this.fail(key, 'is required') : undefined;
    if (!Array.isArray(value)) return this.fail(key, 'must be an array');
    const max = options.max ?? 100;
    if (value.length > max) return this.fail(key, `must have at most ${max} items`);
    const out: T[] = [];
    value.forEach((entry, index) => {
      const read = item(entry, `${this.at(key)}[${index}]`);
      if (read !== undefined) out.push(read);
    });
    return out;
  }

  /** A `{ [key]: string }` map (C2D application properties). */
  stringMap(key: string): Record<string, string> | undefined {
    const value = this.rawObject(key);
    if (value === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [name, entry] of Object.entries(value)) {
      if (typeof entry !== 'string')
        this.violations.push({ path: `${this.at(key)}.${name}`, message: 'must be a string' });
      else out[name] = entry;
    }
    return out;
  }

  /** Adds a violation for every field that no reader asked for. Call last. */
  rejectUnknown(): void {
    for (const key of Object.keys(this.value)) {
      if (!this.seen.has(key)) this.violations.push({ path: this.at(key), message: 'is not a known field' });
    }
  }
}
