/**
 * The HTTP API, built by a factory so tests use `inject` and a separate entry listens. JSON schemas validate
 * requests, serialize responses and make the OpenAPI document at /openapi.json (readable docs at /docs).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { describeSchemaError, isCodedError, maskDigits } from '../common/index.ts';
import { AddressList, type GatewayServices } from '../gateway/index.ts';
import { AdminAuth } from './admin-auth.ts';
import { registerAuth } from './auth.ts';
import {
  apiError,
  clientErrorBody,
  codeForClientStatus,
  FASTIFY_ERROR_CODES,
  httpStatusFor,
  parserErrorCode,
  VALIDATION_ERROR_CODES,
  type ApiError,
} from './errors.ts';
import { consolePlugin, type ConsoleSettings } from './console/console-plugin.ts';
import { MethodIndex } from './method-index.ts';
import { installValidation } from './request-validation.ts';
import { adminRoutes, type AdminReloadResult } from './routes/admin.ts';
import { batchRoutes } from './routes/batch.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { connectorRoutes } from './routes/connectors.ts';
import { inboundRoutes } from './routes/inbound.ts';
import { linkRoutes } from './routes/links.ts';
import { messageRoutes } from './routes/messages.ts';
import { operationsRoutes } from './routes/operations.ts';
import { usageRoutes } from './routes/usage.ts';
import { suppressionRoutes } from './routes/suppressions.ts';
import { verificationRoutes } from './routes/verifications.ts';
import { SHARED_SCHEMAS, batchBodySchema } from './schemas.ts';
import { CAMPAIGN_SCHEMAS } from './campaign-schemas.ts';
import { SUPPRESSION_SCHEMAS } from './suppression-schemas.ts';
import { VERIFICATION_SCHEMAS } from './verification-schemas.ts';
import { OPERATIONS_SCHEMAS } from './operations-schemas.ts';
import { TokenBuckets } from './token-bucket.ts';

export interface BuildAppOptions {
  /** The gateway's services (a running `Gateway` is one). */
  readonly gateway: GatewayServices;
  readonly logger?: FastifyServerOptions['logger'];
  /** The clock of rate limits and admin tokens (default: the system's) and of the console (default: the gateway's). */
  readonly now?: () => number;
  /** The `server` settings this app uses: timeouts for slow clients, and the /metrics token. */
  readonly server?: ServerSettings;
  /** The admin API: its token hash (read on each request: a reload may change it) and what a reload runs. */
  readonly admin?: { readonly tokenHash: () => string | undefined; readonly reload?: () => Promise<AdminReloadResult> };
  /** The web console at /console (on unless `enabled: false`). */
  readonly console?: ConsoleSettings & { readonly enabled?: boolean };
}

export interface ServerSettings {
  /** Time for a client to send the request headers (default 10 s), and the whole request with its body (60 s). */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept (default 5 s). */
  readonly keepAliveTimeoutMs?: number;
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string;
  /** Load balancers (addresses, CIDR ranges) whose X-Forwarded-For names the client (default: none). */
  readonly trustProxy?: readonly string[];
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const headersTimeout = options.server?.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.server?.requestTimeoutMs ?? 60_000;
  const keepAliveTimeout = options.server?.keepAliveTimeoutMs ?? 5_000;
  const proxies = AddressList.parse(options.server?.trustProxy ?? [], 'server.trustProxy');
  const app = Fastify({
    // request.ip walks X-Forwarded-For from the right past trusted hops only, so a client cannot name its own address.
    trustProxy: proxies.size === 0 ? false : (address: string) => proxies.includes(address),
    // Slow or stalled clients (half-sent headers or bodies) are cut off instead of holding connections; Node checks
    // the header and request timeouts every connectionsCheckingInterval, so that follows the smaller one.
    requestTimeout,
    keepAliveTimeout,
    http: { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 2))) },
    logger: withMaskedRequests(options.logger ?? false),
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    // fastify's own 503 while closing has no code: the preClose hook below answers API_SHUTTING_DOWN instead.
    return503OnClosing: false,
    // Refusals before routing (Node's HTTP parser, fastify's URL checks) answer with coded bodies too.
    clientErrorHandler: answerParserError,
    frameworkErrors: (error, _request, reply) => {
      void sendApiError(reply, apiError(FASTIFY_ERROR_CODES[error.code] ?? 'API_MALFORMED_REQUEST'));
    },
  });
  // Node answers an Expect header other than 100-continue itself, with a bare 417: answer it with a code too.
  app.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify(clientErrorBody(apiError('API_EXPECTATION_FAILED')));
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    response.end(body);
  });
  const buckets = new TokenBuckets(options.now);
  const methods = new MethodIndex();
  app.addHook('onRoute', (route) => {
    methods.add(route.method, route.url);
    // Every route that takes a body can refuse it as too large or not JSON: the OpenAPI says so on each.
    const schema = route.schema as { body?: unknown; response?: Record<string, unknown> } | undefined;
    if (schema?.body !== undefined) schema.response = { 413: { $ref: 'Error#' }, 415: { $ref: 'Error#' }, ...schema.response };
    // Every /v1 route passes auth (401, 403 for an address outside allowedIps, 429) and can meet a stop (503).
    if (schema !== undefined && route.url.startsWith('/v1/')) {
      schema.response = { 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 429: { $ref: 'Error#' }, 503: { $ref: 'Error#' }, ...schema.response };
    }
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'smsgw', version: '1', description: 'SMS gateway API: send messages, read their status, receive replies.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  for (const schema of [...SHARED_SCHEMAS, batchBodySchema, ...SUPPRESSION_SCHEMAS, ...VERIFICATION_SCHEMAS, ...CAMPAIGN_SCHEMAS, ...OPERATIONS_SCHEMAS]) app.addSchema(schema);
  installValidation(app);
  // Bodies are JSON only: a text/plain body is refused as such (415), not read as a string the schema then refuses.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      const first = error.validation[0];
      const { field, problem } = describeSchemaError(first);
      const code = VALIDATION_ERROR_CODES[error.validationContext ?? 'body'] ?? 'API_INVALID_BODY';
      return reply.code(400).send({ code, message: `${error.validationContext ?? 'body'}${field === '' ? '' : `.${field}`} ${problem}`, field });
    }
    if (isCodedError(error)) {
      const status = httpStatusFor(error.code);
      // A retriable coded error is expected (an outage answers every request with it): one warn line without a
      // stack. Other server errors are unexpected and keep their stack.
      if (status >= 500 && error.retriable) request.log.warn({ code: error.code, retriable: true, statusCode: status, error: maskDigits(error.message) }, 'request refused');
      else if (status >= 500) request.log.error({ err: error }, 'request failed');
      // Unavailable for a while: tell well-behaved clients when to come back instead of hammering.
      if (status === 503 || (status === 429 && error.code !== 'API_RATE_LIMITED')) {
        const hinted = (error.details as { retryAfter?: unknown } | undefined)?.retryAfter;
        void reply.header('retry-after', String(typeof hinted === 'number' && hinted > 0 ? Math.ceil(hinted) : 5));
      }
      return reply.code(status).send(clientErrorBody(error));
    }
    const fastifyCode = FASTIFY_ERROR_CODES[error.code];
    if (fastifyCode === 'API_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit;
      return sendApiError(reply, apiError(fastifyCode, `at most ${limit} bytes`, { limit }));
    }
    if (fastifyCode !== undefined) return sendApiError(reply, apiError(fastifyCode));
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendApiError(reply, apiError(codeForClientStatus(error.statusCode), error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ code: 'API_INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowed(request.url);
    if (allowed.length === 0) return reply.code(404).send({ code: 'API_NOT_FOUND', message: `${request.method} ${request.url}` });
    void reply.header('allow', allowed.join(', '));
    return sendApiError(reply, apiError('API_METHOD_NOT_ALLOWED', `${request.method}; this path takes ${allowed.join(', ')}`));
  });

  // A graceful stop: requests that arrive after it began get a coded 503 (with Retry-After), never a bare one.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    void reply.header('connection', 'close');
    throw apiError('API_SHUTTING_DOWN');
  });
  const { accounts, messages } = options.gateway;
  registerAuth(app, accounts, buckets);
  messageRoutes(app, messages, buckets);
  batchRoutes(app, messages, buckets);
  inboundRoutes(app, messages);
  usageRoutes(app, options.gateway.usage);
  suppressionRoutes(app, options.gateway.suppressions);
  verificationRoutes(app, options.gateway.verifications);
  campaignRoutes(app, options.gateway.campaignInput, options.gateway.campaigns);
  operationsRoutes(app, options.gateway, options.server?.metricsToken);
  connectorRoutes(app, options.gateway.operations);
  linkRoutes(app, options.gateway.shortLinks);
  const adminAuth = new AdminAuth(options.admin?.tokenHash ?? (() => undefined), options.now);
  adminRoutes(app, options.gateway, { auth: adminAuth, ...(options.admin?.reload === undefined ? {} : { reload: options.admin.reload }) });
  if (options.console?.enabled !== false) {
    await app.register(consolePlugin, { prefix: '/console', gateway: options.gateway, settings: options.console ?? {}, now: options.now ?? options.gateway.now });
  }
  app.get('/openapi.json', { schema: { hide: true } }, () => Promise.resolve(app.swagger()));
  await app.ready();
  return app;
}

function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(httpStatusFor(error.code)).send(clientErrorBody(error));
}

/**
 * Node's HTTP parser refused the request before fastify saw it (malformed request line or headers, headers over
 * the size limit, a request that did not arrive in time): answer with a coded JSON body, then close.
 */
function answerParserError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const code = parserErrorCode(error.code);
    const status = httpStatusFor(code);
    const body = JSON.stringify(clientErrorBody(apiError(code, error.code)));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Request logs keep method and path but mask long digit runs (phone numbers in query strings). */
function withMaskedRequests(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return false;
  const base = typeof logger === 'object' ? logger : {};
  return {
    ...base,
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({ method: request.method, url: maskDigits(request.url), id: request.id }),
    },
  };
}


