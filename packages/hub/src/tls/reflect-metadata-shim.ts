/**
 * @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which refuses to load unless
 * `Reflect.getMetadata` exists (it normally comes from the `reflect-metadata` package, which is not
 * a dependency here). tsyringe only reads and writes metadata for decorated classes, and x509
 * decorates none, so a small store with the same four functions is enough. Imported for its side
 * effect before @peculiar/x509; leaves a real polyfill alone when one is loaded.
 */
type Key = unknown;
type MetadataReflect = typeof Reflect & {
  getMetadata?: (key: Key, target: object, property?: string | symbol) => unknown;
  getOwnMetadata?: (key: Key, target: object, property?: string | symbol) => unknown;
  defineMetadata?: (key: Key, value: unknown, target: object, property?: string | symbol) => void;
  hasOwnMetadata?: (key: Key, target: object, property?: string | symbol) => boolean;
};

const reflect = Reflect as MetadataReflect;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<object, Map<string | symbol | undefined, Map<Key, unknown>>>();
  const own = (target: object, property?: string | symbol): Map<Key, unknown> | undefined =>
    store.get(target)?.get(property);
  reflect.defineMetadata = (key, value, target, property) => {
    let byProperty = store.get(target);
    if (byProperty === undefined) {
      byProperty = new Map<string | symbol | undefined, Map<Key, unknown>>();
      store.set(target, byProperty);
    }
    let entries = byProperty.get(property);
    if (entries === undefined) {
      entries = new Map<Key, unknown>();
      byProperty.set(property, entries);
    }
    entries.set(key, value);
  };
  reflect.getOwnMetadata = (key, target, property) => own(target, property)?.get(key);
  reflect.hasOwnMetadata = (key, target, property) => own(target, property)?.has(key) ?? false;
  reflect.getMetadata = (key, target, property) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const entries = own(t, property);
      if (entries?.has(key) === true) return entries.get(key);
    }
    return undefined;
  };
}

export {};
