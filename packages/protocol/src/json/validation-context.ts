/**
 * The state one validation run collects into: errors (capped), warnings, strictness and the
 * running payload item count. Internal to the validator.
 */
import {
  JSON_MESSAGE_LIMITS,
  type JsonLeniencyCode,
  type SecurityMessageError,
  type SecurityMessageWarning,
} from './validation-result.js';

/** Collects violations for one message. */
export class ValidationContext {
  readonly errors: SecurityMessageError[] = [];
  readonly warnings: SecurityMessageWarning[] = [];
  /** Payload items seen so far, against {@link JSON_MESSAGE_LIMITS.maxPayloadItems}. */
  items = 0;
  /** What {@link warnOnce} has already noted in this message, by code, then key. */
  private noted: Map<JsonLeniencyCode, Set<string>> | undefined;

  constructor(readonly strict: boolean) {}

  /** True once the error list is full: loops stop, so hostile input costs bounded time. */
  full = false;

  fail(path: string, message: string): void {
    const count = this.errors.length;
    if (count < JSON_MESSAGE_LIMITS.maxErrors) this.errors.push({ path, message });
    else if (!this.full) {
      this.errors.push({ path: '', message: `more than ${count} errors; the rest are not listed` });
      this.full = true;
    }
  }

  /**
   * A leniency: a warning normally, an error under `strict`. `strictMessage` says what the
   * published schema wants.
   */
  lenient(path: string, code: JsonLeniencyCode, message: string, strictMessage: string): void {
    if (this.strict) this.fail(path, strictMessage);
    else this.warn(path, code, message);
  }

  /**
   * Records a note on what the schema allows but Vigil reads in a canonical form, once per `key` in
   * a message, so a 500-item payload yields one warning, not 500. `note` builds the path and the
   * message only for the first one, which keeps the per-item cost to a set lookup.
   */
  warnOnce(
    code: JsonLeniencyCode,
    key: string,
    note: () => { readonly path: string; readonly message: string },
  ): void {
    this.noted ??= new Map();
    let keys = this.noted.get(code);
    if (keys === undefined) this.noted.set(code, (keys = new Set()));
    if (keys.has(key)) return;
    keys.add(key);
    const { path, message } = note();
    this.warn(path, code, message);
  }

  /** Records an accepted deviation (callers check `strict` first). */
  warn(path: string, code: JsonLeniencyCode, message: string): void {
    this.warnings.push({ path, code, message });
  }
}

/** One JSON Pointer reference token: `~` and `/` escaped (RFC 6901 §3). */
export function pointerToken(key: string): string {
  return key.indexOf('~') < 0 && key.indexOf('/') < 0 ? key : key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A JSON object in the JSON Schema sense: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string value quoted for a message, cut to 60 characters so hostile input cannot bloat errors. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** What a value is, for messages (`got array`). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'non-finite number';
  return typeof value;
}
