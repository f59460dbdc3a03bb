/**
 * The virtual modem's control API (fastify, built by a factory so tests can `inject`): read what was transmitted,
 * inject inbound messages, change behaviour or scenario, unplug and replug. Coded errors answer 400 with
 * `{ error: { code, message, retriable, details } }`, the SMSC simulator's shape.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { isCodedError } from '../../common/index.ts';
import type { BehaviourPatch } from './behaviour.ts';
import { modemSimError } from './errors.ts';
import type { InboundMessage } from './inbound-pdus.ts';
import { STORAGE_NAMES, type StorageName } from './sms-storage.ts';
import type { VirtualModemHandle } from './modem-handle.ts';

const inboundSchema = {
  type: 'object',
  required: ['from', 'text'],
  additionalProperties: false,
  properties: {
    from: { type: 'string', minLength: 1, maxLength: 20 },
    text: { type: 'string' },
    encoding: { enum: ['auto', 'gsm7', 'ucs2'] },
    flash: { type: 'boolean' },
    concatRef: { type: 'integer', minimum: 0, maximum: 255 },
    order: { type: 'array', items: { type: 'integer', minimum: 1 } },
  },
} as const;

export function buildControlApp(modem: VirtualModemHandle): FastifyInstance {
  const app = Fastify({ logger: false });

  app.setErrorHandler((error, _request, reply) => {
    if (isCodedError(error)) return reply.status(400).send({ error: error.toJSON() });
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    const message = error instanceof Error ? error.message : String(error);
    return reply.status(status).send({ error: modemSimError('MODEMSIM_BAD_REQUEST', message).toJSON() });
  });

  app.get('/status', () => modem.status());
  app.get('/transmitted', () => ({ messages: modem.transmitted(), parts: modem.transmittedParts() }));
  app.delete('/transmitted', (_request, reply) => {
    modem.clearTransmitted();
    return reply.status(204).send();
  });
  app.get('/status-reports', () => ({ reports: modem.statusReports() }));
  app.get<{ Params: { name: string } }>('/storage/:name', (request, reply) => {
    const name = request.params.name.toUpperCase();
    if (!(STORAGE_NAMES as readonly string[]).includes(name)) {
      return reply.status(404).send({ error: modemSimError('MODEMSIM_BAD_REQUEST', `no storage ${name}`, { field: 'name', value: name }).toJSON() });
    }
    return { messages: modem.stored(name as StorageName) };
  });
  app.post<{ Body: InboundMessage }>('/inbound', { schema: { body: inboundSchema } }, (request, reply) =>
    reply.status(201).send(modem.injectInbound(request.body)),
  );
  app.get('/behaviour', () => modem.behaviour());
  app.patch<{ Body: BehaviourPatch }>('/behaviour', { schema: { body: { type: 'object' } } }, (request) => modem.setBehaviour(request.body));
  app.post<{ Body: { name: string } }>(
    '/scenario',
    { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
    (request) => modem.setScenario(request.body.name),
  );
  app.post('/unplug', async () => {
    await modem.unplug();
    return { plugged: modem.plugged };
  });
  app.post<{ Body: { path?: string } | undefined }>(
    '/replug',
    { schema: { body: { type: ['object', 'null'], properties: { path: { type: 'string', minLength: 1 } }, additionalProperties: false } } },
    async (request) => {
      await modem.replug(request.body?.path === undefined ? {} : { path: request.body.path });
      return { plugged: modem.plugged, path: modem.path };
    },
  );
  return app;
}
