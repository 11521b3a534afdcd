/** Test helper: the hand-written corpus of valid and invalid JSON 1.0 messages beside this file. */
import { readFileSync } from 'node:fs';

/** A message the official schemas accept. */
export interface ValidCase {
  readonly name: string;
  readonly message: unknown;
}

/** A message the official schemas reject, with the JSON Pointers Vigil must name. */
export interface InvalidCase {
  readonly name: string;
  readonly paths: readonly string[];
  readonly message: unknown;
}

function load<T>(file: string): T[] {
  return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as T[];
}

/** Valid messages covering every event type and every optional shape. */
export const validCases: readonly ValidCase[] = load<ValidCase>('./valid-messages.json');
/** Invalid messages, one rule of the schema broken in each (several in a few). */
export const invalidCases: readonly InvalidCase[] = load<InvalidCase>('./invalid-messages.json');
