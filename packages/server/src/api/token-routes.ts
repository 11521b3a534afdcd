import type { FastifyInstance } from 'fastify';
import { ROLES, TOKEN_NAME_PATTERN, TokenStoreError, type Role, type TokenStore } from '../auth/tokens.js';
import { ApiError, validationFailed, type Violation } from './errors.js';
import { QueryReader } from './query.js';

const ADMIN_ONLY = { role: 'admin' } as const;
const TOKEN_ID = /^[0-9a-f]{12}$/;

function readNewToken(body: unknown): { name: string; role: Role } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw validationFailed([{ path: 'body', message: 'must be a JSON object with name and role' }]);
  const { name, role, ...rest } = body as Record<string, unknown>;
  const violations: Violation[] = Object.keys(rest).map((key) => ({
    path: `body.${key}`,
    message: 'is not a field of this request',
  }));
  if (typeof name !== 'string' || !TOKEN_NAME_PATTERN.test(name))
    violations.push({ path: 'body.name', message: 'must be 1 to 64 characters without control characters' });
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    violations.push({ path: 'body.role', message: `must be one of ${ROLES.join(', ')}` });
  if (violations.length > 0) throw validationFailed(violations);
  return { name: name as string, role: role as Role };
}

function tokenId(params: unknown): string {
  const id = (params as { id?: string }).id ?? '';
  if (!TOKEN_ID.test(id))
    throw validationFailed([{ path: 'params.id', message: 'must be a token id (12 hex digits)' }]);
  return id;
}

function fromStoreError(error: unknown): never {
  if (!(error instanceof TokenStoreError)) throw error;
  const code = {
    INVALID: 'VALIDATION_FAILED',
    LIMIT_EXCEEDED: 'CONFLICT',
    NOT_FOUND: 'NOT_FOUND',
    LAST_ADMIN: 'CONFLICT',
  } as const;
  throw new ApiError(code[error.code], error.message);
}

/**
 * API token management (admins only, reads included: the list says who has access). A new token's
 * secret is in the creation answer and nowhere else; lists show id, name, role, a short prefix,
 * creation and last use. Creation and revocation are logged with the token's id, never its secret.
 */
export function registerTokenRoutes(app: FastifyInstance, tokens: TokenStore): void {
  app.get('/api/tokens', { config: ADMIN_ONLY }, (request) => {
    new QueryReader(request.query).done();
    return { items: tokens.list() };
  });

  app.post('/api/tokens', { config: ADMIN_ONLY }, async (request, reply) => {
    new QueryReader(request.query).done();
    const { name, role } = readNewToken(request.body);
    const { token, record } = await tokens.create(role, name).catch(fromStoreError);
    request.log.info(
      { audit: 'token.created', tokenId: record.id, tokenRole: role, tokenName: name, by: request.tokenId },
      `API token ${record.id} (${role}) created`,
    );
    void reply.status(201);
    return { ...tokens.get(record.id), token };
  });

  app.delete('/api/tokens/:id', { config: ADMIN_ONLY }, async (request, reply) => {
    new QueryReader(request.query).done();
    const id = tokenId(request.params);
    const revoked = await tokens.revoke(id, { keepAnAdmin: true }).catch(fromStoreError);
    if (!revoked) throw new ApiError('NOT_FOUND', `no token ${id}`);
    request.log.info({ audit: 'token.revoked', tokenId: id, by: request.tokenId }, `API token ${id} revoked`);
    return reply.status(204).send();
  });
}
