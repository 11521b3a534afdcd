import type { Violation } from './errors.js';
import { validationFailed } from './errors.js';

/** Reads query parameters, collecting every violation instead of stopping at the first. */
export class QueryReader {
  readonly #query: Record<string, unknown>;
  readonly #violations: Violation[] = [];
  readonly #known = new Set<string>();

  constructor(query: unknown) {
    this.#query = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  }

  /** A string parameter limited to `allowed` when given. */
  text<T extends string>(name: string, allowed?: readonly T[]): T | undefined {
    this.#known.add(name);
    const value = this.#query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      this.#violations.push({ path: `query.${name}`, message: 'must be a non-empty string' });
      return undefined;
    }
    if (allowed !== undefined && !allowed.includes(value as T)) {
      this.#violations.push({ path: `query.${name}`, message: `must be one of ${allowed.join(', ')}` });
      return undefined;
    }
    return value as T;
  }

  /** An integer parameter within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    this.#known.add(name);
    const value = this.#query[name];
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      this.#violations.push({
        path: `query.${name}`,
        message: `must be a whole number from ${min} to ${max}`,
      });
      return undefined;
    }
    return number;
  }

  /** Throws `VALIDATION_FAILED` listing every problem, including unknown parameters. */
  done(): void {
    for (const name of Object.keys(this.#query)) {
      if (!this.#known.has(name))
        this.#violations.push({ path: `query.${name}`, message: 'is not a parameter of this route' });
    }
    if (this.#violations.length > 0) throw validationFailed(this.#violations);
  }
}
