/**
 * Requests derived from the served OpenAPI document, for tests that must cover every route without
 * a list of routes of their own: the operations, a valid body for each (the route's `example`, or
 * one built from its schema), path values, and bodies or query values that must be refused.
 */

type Json = { readonly [key: string]: unknown };
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The parts of an OpenAPI document these helpers read. */
export interface OpenApiLike {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: unknown;
}

/** One operation of the document. */
export interface DocumentedOperation {
  /** Upper case: `GET`, `PUT`… */
  readonly method: string;
  /** The OpenAPI path (`/api/alerts/{id}`). */
  readonly path: string;
  /** `METHOD path`, how failures name the route. */
  readonly label: string;
  /** `x-vigil-role`: who may call it (undefined when the document does not say, which tests refuse). */
  readonly role: string | undefined;
  readonly parameters: readonly { readonly name: string; readonly in: string; readonly schema: Json }[];
  /** The JSON request body's schema, when the operation takes one. */
  readonly bodySchema: Json | undefined;
  /** The body's documented example, when it has one. */
  readonly bodyExample: unknown;
}

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiLike): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!isObject(raw)) continue;
      const media = (raw.requestBody as { content?: Record<string, Json> } | undefined)?.content?.[
        'application/json'
      ];
      out.push({
        method: method.toUpperCase(),
        path,
        label: `${method.toUpperCase()} ${path}`,
        role: typeof raw['x-vigil-role'] === 'string' ? raw['x-vigil-role'] : undefined,
        parameters: (Array.isArray(raw.parameters)
          ? raw.parameters
          : []) as DocumentedOperation['parameters'],
        bodySchema: isObject(media?.schema) ? media.schema : undefined,
        bodyExample: media?.example,
      });
    }
  }
  return out;
}

/** A schema with its `$ref` followed (within the document). */
export function resolveSchema(document: OpenApiLike, schema: Json): Json {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops += 1) {
    let node: unknown = document;
    for (const part of current.$ref.replace(/^#\//, '').split('/'))
      node = isObject(node) ? node[part] : undefined;
    if (!isObject(node)) throw new Error(`$ref ${current.$ref} points nowhere`);
    current = node;
  }
  return current;
}

const firstType = (schema: Json): string | undefined => {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((candidate) => candidate !== 'null') as string | undefined;
  return typeof type === 'string' ? type : undefined;
};

/**
 * The smallest value a schema accepts as far as the schema says: `example`, `default`, `const` or the
 * first `enum` value when given; objects with their required properties, strings of the minimum
 * length, numbers at the minimum. Throws when the schema says too little to build a value.
 */
export function minimalValue(document: OpenApiLike, raw: Json, at = 'body'): unknown {
  const schema = resolveSchema(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    return Object.assign(
      {},
      ...(schema.allOf.map((part) => minimalValue(document, part as Json, at)) as object[]),
    );
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return minimalValue(document, options[0] as Json, at);
  }
  switch (firstType(schema) ?? 'untyped') {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(
        required.map((name) => {
          const property = properties[name];
          if (!isObject(property)) throw new Error(`${at}.${name} is required but has no schema`);
          return [name, minimalValue(document, property, `${at}.${name}`)];
        }),
      );
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      if (minItems === 0) return [];
      if (!isObject(schema.items)) throw new Error(`${at} needs ${minItems} items but has no items schema`);
      const item = minimalValue(document, schema.items, `${at}[0]`);
      return Array.from({ length: minItems }, () => item);
    }
    case 'string':
      return 'x'.repeat(typeof schema.minLength === 'number' ? Math.max(1, schema.minLength) : 1);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    default:
      // `{}` accepts anything.
      if (Object.keys(schema).filter((key) => key !== 'description').length === 0) return null;
      throw new Error(`${at} has a schema without a type, enum or example: ${JSON.stringify(schema)}`);
  }
}

/**
 * A valid body for an operation: its documented example, else one built from its schema; undefined
 * when it takes no body. Throws naming the route when neither is possible.
 */
export function bodyFor(document: OpenApiLike, operation: DocumentedOperation): unknown {
  if (operation.bodyExample !== undefined) return operation.bodyExample;
  if (operation.bodySchema === undefined) return undefined;
  try {
    return minimalValue(document, operation.bodySchema);
  } catch (error) {
    throw new Error(
      `${operation.label}: no body example and none can be built from its schema (${(error as Error).message}); give the route an \`example\` in its OpenAPI description`,
    );
  }
}

/**
 * The request path with its templated segments filled: a parameter's schema `example`, else what
 * `known` gives for it (the ids of seeded resources), else `1` for an integer; a string without a
 * pattern takes `fallback`. Throws naming the route and parameter otherwise.
 */
export function pathFor(
  operation: DocumentedOperation,
  known: (name: string, operation: DocumentedOperation) => string | undefined,
  fallback = 'vigil-test',
): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const parameter = operation.parameters.find(
      (candidate) => candidate.in === 'path' && candidate.name === name,
    );
    const schema = parameter?.schema ?? {};
    const example = schema.example;
    let value: string | undefined =
      typeof example === 'string' || typeof example === 'number' ? String(example) : known(name, operation);
    if (value === undefined && (schema.type === 'integer' || schema.type === 'number')) value = '1';
    if (value === undefined && typeof schema.pattern !== 'string') value = fallback;
    if (value === undefined)
      throw new Error(
        `${operation.label}: no value for path parameter ${name} (pattern ${String(schema.pattern)}); give its schema an \`example\` or add it to the test's known values`,
      );
    return encodeURIComponent(value);
  });
}

/** An input the API must refuse, and what it exercises. */
export interface BadInput {
  readonly why: string;
  /** The part the violation must name (`query.limit`, `body`, `body.role`…). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/**
 * Query values each declared query parameter must refuse (outside its enum, not a number, beyond
 * its bounds), and an undeclared parameter.
 */
export function badQueries(document: OpenApiLike, operation: DocumentedOperation): BadInput[] {
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  if (query.length === 0) return [];
  const out: BadInput[] = [
    {
      why: 'an undeclared parameter',
      path: 'query.vigilNoSuchParameter',
      query: { vigilNoSuchParameter: '1' },
    },
  ];
  for (const parameter of query) {
    const schema = resolveSchema(document, parameter.schema);
    const path = `query.${parameter.name}`;
    const bad = (why: string, value: string) => out.push({ why, path, query: { [parameter.name]: value } });
    if (Array.isArray(schema.enum)) bad('a value outside its enum', 'vigil-no-such-value');
    if (schema.type === 'integer') {
      bad('text where a whole number belongs', 'many');
      if (typeof schema.minimum === 'number') bad('below its minimum', String(schema.minimum - 1));
      if (typeof schema.maximum === 'number') bad('above its maximum', String(schema.maximum + 1));
    }
  }
  return out;
}

/**
 * Bodies an operation must refuse: not an object, an unknown field (unless the schema allows
 * extra ones), each required field left out, each enum field with a value outside it.
 */
export function badBodies(document: OpenApiLike, operation: DocumentedOperation): BadInput[] {
  if (operation.bodySchema === undefined) return [];
  const schema = resolveSchema(document, operation.bodySchema);
  const valid = bodyFor(document, operation);
  const base = isObject(valid) ? valid : {};
  const out: BadInput[] = [{ why: 'a JSON array instead of an object', path: 'body', body: [] }];
  if (schema.additionalProperties !== true)
    out.push({
      why: 'an unknown field',
      path: 'body.vigilNoSuchField',
      body: { ...base, vigilNoSuchField: 1 },
    });
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    const { [name]: _left, ...rest } = base;
    out.push({ why: `required ${name} left out`, path: `body.${name}`, body: rest });
  }
  for (const [name, raw] of Object.entries(properties)) {
    const property = isObject(raw) ? resolveSchema(document, raw) : {};
    if (Array.isArray(property.enum))
      out.push({
        why: `${name} outside its enum`,
        path: `body.${name}`,
        body: { ...base, [name]: 'vigil-no-such-value' },
      });
  }
  return out;
}
