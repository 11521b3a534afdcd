const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const LOCATIONS = new Set(['query', 'header', 'path', 'cookie']);

type Json = { readonly [key: string]: unknown };
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolvePointer(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

function checkRefs(document: Json, node: unknown, at: string, problems: string[]): void {
  if (Array.isArray(node)) node.forEach((item, i) => checkRefs(document, item, `${at}/${i}`, problems));
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && resolvePointer(document, value) === undefined)
      problems.push(`${at}: $ref ${value} points nowhere`);
    else checkRefs(document, value, `${at}/${key}`, problems);
  }
}

function checkOperation(path: string, method: string, operation: Json, schemes: Json, problems: string[]) {
  const at = `${method.toUpperCase()} ${path}`;
  if (!isObject(operation.responses) || Object.keys(operation.responses).length === 0)
    problems.push(`${at}: has no responses`);
  for (const [status, response] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
    if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${at}: response key ${status}`);
    if (!isObject(response) || typeof response.description !== 'string')
      problems.push(`${at}: response ${status} has no description`);
  }
  const parameters = Array.isArray(operation.parameters) ? (operation.parameters as unknown[]) : [];
  const seen = new Set<string>();
  for (const parameter of parameters) {
    if (!isObject(parameter) || typeof parameter.name !== 'string' || !LOCATIONS.has(String(parameter.in))) {
      problems.push(`${at}: a parameter lacks a name or a valid "in"`);
      continue;
    }
    const key = `${String(parameter.in)}:${parameter.name}`;
    if (seen.has(key)) problems.push(`${at}: parameter ${key} twice`);
    seen.add(key);
    if (parameter.in === 'path' && parameter.required !== true)
      problems.push(`${at}: path parameter ${parameter.name} must be required`);
  }
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => `path:${match[1]}`);
  for (const name of templated) if (!seen.has(name)) problems.push(`${at}: ${name} is not described`);
  for (const name of seen)
    if (name.startsWith('path:') && !templated.includes(name))
      problems.push(`${at}: ${name} is not in the path`);
  for (const requirement of Array.isArray(operation.security) ? (operation.security as unknown[]) : []) {
    for (const scheme of Object.keys(isObject(requirement) ? requirement : {}))
      if (!(scheme in schemes)) problems.push(`${at}: unknown security scheme ${scheme}`);
  }
}

/**
 * Checks the structure OpenAPI 3.1 requires of a document (version, info, paths, operations,
 * responses, parameters, references, security schemes) and returns every problem found. It is not
 * the full meta-schema, but what a client generator trips over.
 */
export function checkOpenApiDocument(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document)) return ['the document is not a JSON object'];
  if (typeof document.openapi !== 'string' || !/^3\.1\.\d+$/.test(document.openapi))
    problems.push('openapi must be 3.1.x');
  const info = document.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
    problems.push('info needs a title and a version');
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  if (!isObject(document.paths)) problems.push('paths must be an object');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    for (const [method, operation] of Object.entries(isObject(item) ? item : {})) {
      if (!METHODS.has(method) || !isObject(operation)) {
        problems.push(`${path}: ${method} is not an operation`);
        continue;
      }
      if (typeof operation.operationId === 'string') {
        if (operationIds.has(operation.operationId))
          problems.push(`operationId ${operation.operationId} twice`);
        operationIds.add(operation.operationId);
      }
      checkOperation(path, method, operation, schemes, problems);
    }
  }
  for (const requirement of Array.isArray(document.security) ? (document.security as unknown[]) : []) {
    for (const scheme of Object.keys(isObject(requirement) ? requirement : {}))
      if (!(scheme in schemes)) problems.push(`security: unknown scheme ${scheme}`);
  }
  checkRefs(document, document, '#', problems);
  return problems;
}
