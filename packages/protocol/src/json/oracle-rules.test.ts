/**
 * Every rule of the official schemas, one at a time: each field of a message holding every event
 * type is removed, given a value of each other JSON type, and an unknown sibling is added. The
 * official schemas (Ajv) decide each case; strict validation must reach the same verdict and, on a
 * rejection, name the field (or, for a missing one, the object that lacks it).
 */
import { describe, expect, it } from 'vitest';
import { loadOfficialValidator, OFFICIAL_SCHEMA_DIR } from './__fixtures__/ajv-oracle.js';
import { validCases } from './__fixtures__/corpus.js';
import { validateSecurityMessage } from './index.js';

const official = loadOfficialValidator();
if (official === null) {
  if (process.env.CI === 'true')
    throw new Error(`official JSON 1.0 schemas missing at ${OFFICIAL_SCHEMA_DIR}`);
  console.warn(`schema-rule tests skipped: official JSON 1.0 schemas not found at ${OFFICIAL_SCHEMA_DIR}`);
}

type Json = Record<string, unknown>;
const WRONG_VALUES: readonly unknown[] = [42, 4.5, 'text', true, null, {}, []];

/** Every JSON Pointer below the root, with its parent pointer and key. */
function pointers(value: unknown, at = ''): { path: string; parent: string; key: string }[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: { path: string; parent: string; key: string }[] = [];
  for (const [key, child] of Object.entries(value as Json)) {
    const path = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    out.push({ path, parent: at, key }, ...pointers(child, path));
  }
  return out;
}

/** A deep copy of `message` with `edit` applied to the object at `parent`. */
function edited(message: unknown, parent: string, edit: (holder: Json) => void): unknown {
  const copy = structuredClone(message);
  let holder = copy as Json;
  for (const token of parent.split('/').slice(1))
    holder = holder[token.replaceAll('~1', '/').replaceAll('~0', '~')] as Json;
  edit(holder);
  return copy;
}

describe.skipIf(official === null)('every schema rule, one field at a time (Ajv oracle)', () => {
  const ajv = official!;
  const base = validCases.find((c) => c.name === 'every event type in one message')!.message;
  const fields = pointers(base);

  it('walks a message with every event type and all their fields', () => {
    expect((base as { Events: unknown[] }).Events).toHaveLength(14);
    expect(fields.length).toBeGreaterThan(150);
  });

  it('agrees on every removed field, and names the object that lacks a required one', () => {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const { path, parent, key } of fields) {
      const message = edited(base, parent, (holder) => {
        if (Array.isArray(holder)) holder.splice(Number(key), 1);
        else delete holder[key];
      });
      const ours = validateSecurityMessage(message, { strict: true });
      if (ours.valid !== ajv(message)) disagreements.push(`${path}: ours ${ours.valid}`);
      else if (!ours.valid) {
        rejected += 1;
        if (!ours.errors.some((e) => e.path.startsWith(parent))) disagreements.push(`${path}: not named`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(rejected).toBeGreaterThan(60); // the required fields of every event and of the envelope
  });

  it('agrees on every field given a value of another type, and names that field', () => {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const { path, parent, key } of fields) {
      for (const wrong of WRONG_VALUES) {
        const message = edited(base, parent, (holder) => (holder[key] = structuredClone(wrong)));
        const ours = validateSecurityMessage(message, { strict: true });
        const label = `${path} = ${JSON.stringify(wrong)}`;
        if (ours.valid !== ajv(message)) disagreements.push(`${label}: ours ${ours.valid}`);
        else if (!ours.valid) {
          rejected += 1;
          if (!ours.errors.some((e) => e.path.startsWith(path) || path.startsWith(e.path)))
            disagreements.push(`${label}: not named (${ours.errors.map((e) => e.path).join(', ')})`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(rejected).toBeGreaterThan(fields.length * 3);
  });

  it('agrees on an unknown field added to every object', () => {
    const disagreements: string[] = [];
    const objects = ['', ...fields.map((f) => f.path)].filter((path) => {
      const holder = edited(base, path, () => undefined);
      let value = holder as Json;
      for (const token of path.split('/').slice(1)) value = value[token] as Json;
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    });
    for (const path of objects) {
      const message = edited(base, path, (holder) => (holder.NotInTheSchema = 'x'));
      const ours = validateSecurityMessage(message, { strict: true });
      if (ours.valid !== ajv(message)) disagreements.push(`${path}: ours ${ours.valid}`);
    }
    expect(disagreements).toEqual([]);
    expect(objects.length).toBeGreaterThan(30);
  });
});
