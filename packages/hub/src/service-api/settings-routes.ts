import type { FastifyInstance } from 'fastify';
import type { CaCertificate, IpFilterRule } from '@vigil/storage';
import { MAX_IP_FILTER_RULES, type Settings } from '../settings/index.js';
import type { RequestReader } from './request-reader.js';
import { RequestReader as Reader } from './request-reader.js';
import { ifMatchOf, readBody, SMALL_BODY_BYTES, withEtag } from './route-helpers.js';

interface NameParams {
  readonly name: string;
}

/** A CA certificate as the API shows it (IoT Hub's certificate description fields). */
function certificateView(certificate: CaCertificate) {
  return {
    name: certificate.name,
    thumbprint: certificate.thumbprint,
    isVerified: certificate.isVerified,
    etag: certificate.etag,
    created: new Date(certificate.createdAt).toISOString(),
    updated: new Date(certificate.updatedAt).toISOString(),
    certificate: certificate.pem,
  };
}

function readRule(
  value: unknown,
  path: string,
  violations: RequestReader['violations'],
): IpFilterRule | undefined {
  const rule = new Reader(value, path, violations);
  const name = rule.string('name', { required: true, max: 128 });
  const action = rule.oneOf('action', ['accept', 'reject'] as const, true);
  const ipMask = rule.string('ipMask', { required: true, max: 64 });
  rule.rejectUnknown();
  return name === undefined || action === undefined || ipMask === undefined
    ? undefined
    : { name, action, ipMask };
}

/**
 * Hub settings routes (reference/iothub-mqtt.md §5.3): `/certificates[/{name}]` with
 * `verification-code` and `verify`, `/ip-filter`, `/diagnostic-settings[/{name}]`.
 */
export function registerSettingsRoutes(app: FastifyInstance, settings: Settings): void {
  const { certificates } = settings;
  app.get('/certificates', async () => ({ items: (await certificates.list()).map(certificateView) }));
  app.get<{ Params: NameParams }>('/certificates/:name', async (request, reply) =>
    withEtag(reply, certificateView(await certificates.get(request.params.name))),
  );
  app.put<{ Params: NameParams }>(
    '/certificates/:name',
    { bodyLimit: SMALL_BODY_BYTES },
    async (request, reply) => {
      const input = readBody(request.body, (reader) => ({
        pem: reader.string('certificate', { required: true, max: 60_000 }) ?? '',
        isVerified: reader.boolean('isVerified') ?? false,
      }));
      const added = await certificates.add({ name: request.params.name, ...input });
      void reply.status(201);
      return withEtag(reply, certificateView(added));
    },
  );
  app.delete<{ Params: NameParams }>('/certificates/:name', async (request, reply) => {
    const ifMatch = ifMatchOf(request);
    await certificates.delete(
      request.params.name,
      ifMatch === undefined || ifMatch === '*' ? {} : { ifMatch },
    );
    return reply.status(204).send();
  });
  app.post<{ Params: NameParams }>('/certificates/:name/verification-code', async (request) =>
    certificates.generateVerificationCode(request.params.name),
  );
  app.post<{ Params: NameParams }>(
    '/certificates/:name/verify',
    { bodyLimit: SMALL_BODY_BYTES },
    async (request, reply) => {
      const pem = readBody(
        request.body,
        (reader) => reader.string('certificate', { required: true, max: 60_000 }) ?? '',
      );
      const ifMatch = ifMatchOf(request);
      const verified = await certificates.verify(request.params.name, {
        pem,
        ...(ifMatch === undefined || ifMatch === '*' ? {} : { ifMatch }),
      });
      return withEtag(reply, certificateView(verified));
    },
  );

  app.get('/ip-filter', async (_request, reply) => withEtag(reply, await settings.getIpFilter()));
  app.put('/ip-filter', { bodyLimit: SMALL_BODY_BYTES }, async (request, reply) => {
    const filter = readBody(request.body, (reader) => ({
      defaultAction: reader.oneOf('defaultAction', ['accept', 'reject'] as const, true) ?? 'accept',
      rules:
        reader.array('rules', (value, path) => readRule(value, path, reader.violations), {
          required: true,
          max: MAX_IP_FILTER_RULES,
        }) ?? [],
    }));
    const ifMatch = ifMatchOf(request);
    return withEtag(reply, await settings.setIpFilter(filter, ifMatch === undefined ? {} : { ifMatch }));
  });

  app.get('/diagnostic-settings', async () => ({ items: await settings.listDiagnosticSettings() }));
  app.put<{ Params: NameParams }>(
    '/diagnostic-settings/:name',
    { bodyLimit: SMALL_BODY_BYTES },
    async (request) => {
      const input = readBody(request.body, (reader) => ({
        destination: reader.string('destination', { required: true, max: 1024 }) ?? '',
        categories:
          reader.array(
            'categories',
            (value, path) => {
              if (typeof value === 'string') return value;
              reader.violations.push({ path, message: 'must be a string' });
              return undefined;
            },
            { required: true, max: 32 },
          ) ?? [],
      }));
      return settings.putDiagnosticSetting({ name: request.params.name, ...input });
    },
  );
  app.delete<{ Params: NameParams }>('/diagnostic-settings/:name', async (request, reply) => {
    await settings.deleteDiagnosticSetting(request.params.name);
    return reply.status(204).send();
  });
}
