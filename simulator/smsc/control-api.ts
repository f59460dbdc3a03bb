/**
 * The simulator's HTTP control API (fastify, bound to 127.0.0.1 by default): behaviour and scenarios at run time,
 * what each carrier recorded and counted, current binds, MO injection, reset. Every path exists under
 * `/carriers/:carrier`; the same path without that prefix addresses the first carrier.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isCodedError } from '../../common/index.ts';
import { simError, type SimErrorCode } from './errors.ts';
import type { RecordFilter } from './message-records.ts';
import { SCENARIOS } from './scenarios.ts';
import type { SmscCarrier } from './smsc-carrier.ts';

const HTTP_STATUS: Readonly<Record<SimErrorCode, number>> = {
  SIM_INVALID_CONFIG: 400,
  SIM_CONFIG_FILE: 400,
  SIM_UNKNOWN_SCENARIO: 400,
  SIM_INVALID_REQUEST: 400,
  SIM_MO_ENCODING: 400,
  SIM_UNKNOWN_CARRIER: 404,
  SIM_MESSAGE_NOT_FOUND: 404,
  SIM_NO_RECEIVER: 409,
  SIM_LISTEN_FAILED: 500,
  SIM_CLOSED: 503,
};

type Params = { carrier?: string; id?: string };
type Req = FastifyRequest<{ Params: Params; Querystring: Record<string, string | undefined> }>;

function booleanQuery(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw simError('SIM_INVALID_REQUEST', `query.${name} must be true or false`, { field: `query.${name}`, value });
}

function recordFilter(query: Record<string, string | undefined>): RecordFilter {
  const known = new Set(['to', 'from', 'systemId', 'text', 'complete', 'limit', 'newestFirst']);
  for (const key of Object.keys(query)) {
    if (!known.has(key)) throw simError('SIM_INVALID_REQUEST', `query.${key} is not a known filter`, { field: `query.${key}` });
  }
  let limit: number | undefined;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
      throw simError('SIM_INVALID_REQUEST', 'query.limit must be an integer from 1 to 100000', { field: 'query.limit', value: query.limit });
    }
  }
  const complete = booleanQuery('complete', query.complete);
  const newestFirst = booleanQuery('newestFirst', query.newestFirst);
  return {
    ...(query.to === undefined ? {} : { to: query.to }),
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.systemId === undefined ? {} : { systemId: query.systemId }),
    ...(query.text === undefined ? {} : { text: query.text }),
    ...(complete === undefined ? {} : { complete }),
    ...(newestFirst === undefined ? {} : { newestFirst }),
    ...(limit === undefined ? {} : { limit }),
  };
}

function objectBody(body: unknown, field: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw simError('SIM_INVALID_REQUEST', `${field} must be a JSON object`, { field });
  }
  return body as Record<string, unknown>;
}

/** Builds the control app over the carriers (the first one answers the unprefixed paths). */
export function buildControlApp(carriers: readonly SmscCarrier[]): FastifyInstance {
  const byName = new Map(carriers.map((c) => [c.name, c]));
  const app = Fastify({ logger: false });

  const carrierOf = (request: Req): SmscCarrier => {
    const name = request.params.carrier;
    const carrier = name === undefined ? carriers[0] : byName.get(name);
    if (carrier === undefined) {
      throw simError('SIM_UNKNOWN_CARRIER', name ?? '(none)', { field: 'carrier', value: name, known: [...byName.keys()] });
    }
    return carrier;
  };

  app.setErrorHandler((error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    if (isCodedError(error)) {
      const status = HTTP_STATUS[error.code as SimErrorCode] ?? 500;
      return reply.code(status).send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : String(error);
    return reply.code(statusCode).send({ error: { code: statusCode < 500 ? 'SIM_INVALID_REQUEST' : 'SIM_INTERNAL', message, details: {} } });
  });

  app.get('/health', () => ({ ok: true }));
  app.get('/carriers', () => ({ carriers: carriers.map((c) => ({ name: c.name, host: c.host, smppPort: c.port })) }));
  app.get('/scenarios', () => ({ scenarios: SCENARIOS }));
  app.post('/reset', () => {
    for (const c of carriers) c.reset();
    return { reset: carriers.map((c) => c.name) };
  });

  for (const prefix of ['', '/carriers/:carrier']) {
    app.get(`${prefix}/behaviour`, (request: Req) => carrierOf(request).behaviour);
    app.patch(`${prefix}/behaviour`, (request: Req) => carrierOf(request).patchBehaviour(objectBody(request.body, 'behaviour')));
    app.put(`${prefix}/behaviour`, (request: Req) => carrierOf(request).useScenario('happy', objectBody(request.body, 'behaviour')));
    app.post(`${prefix}/scenario`, (request: Req) => {
      const body = objectBody(request.body, 'body');
      const extra = Object.keys(body).filter((k) => k !== 'name' && k !== 'behaviour');
      if (typeof body.name !== 'string' || extra.length > 0) {
        const field = extra.length > 0 ? `body.${extra[0]}` : 'body.name';
        throw simError('SIM_INVALID_REQUEST', `${field} ${extra.length > 0 ? 'is not a known field' : 'must be a scenario name'}`, { field });
      }
      return carrierOf(request).useScenario(body.name, body.behaviour);
    });
    app.get(`${prefix}/messages`, (request: Req) => {
      const carrier = carrierOf(request);
      const filter = recordFilter(request.query);
      return { total: carrier.records.total, messages: carrier.messages(filter) };
    });
    app.get(`${prefix}/messages/:id`, (request: Req) => {
      const carrier = carrierOf(request);
      const id = request.params.id ?? '';
      const message = carrier.message(id);
      if (message === undefined) throw simError('SIM_MESSAGE_NOT_FOUND', id, { field: 'id', value: id, carrier: carrier.name });
      return message;
    });
    app.get(`${prefix}/counts`, (request: Req) => carrierOf(request).counts());
    app.get(`${prefix}/binds`, (request: Req) => ({ binds: carrierOf(request).binds() }));
    app.post(`${prefix}/mo`, (request: Req) => carrierOf(request).injectMo(request.body));
    app.post(`${prefix}/drop`, (request: Req) => ({ dropped: carrierOf(request).dropConnections() }));
    app.post(`${prefix}/enquire-link`, (request: Req) => ({ sent: carrierOf(request).enquireLinkAll() }));
    app.post(`${prefix}/unbind`, (request: Req) => ({ sent: carrierOf(request).unbindAll() }));
    if (prefix !== '') {
      app.post(`${prefix}/reset`, (request: Req) => {
        const carrier = carrierOf(request);
        carrier.reset();
        return { reset: [carrier.name] };
      });
    }
  }
  return app;
}
