/**
 * /v1/suppressions: the account's suppression list (numbers it must not message) with its consent record. List
 * (paged), add, look up, lift, import and export as CSV. Changes made here record the API key that made them by
 * its fingerprint (the first 8 hex digits of its SHA-256, as `apiKeyHashes` in the configuration begin), never the
 * key itself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gatewayError, hashApiKey, type ConsentEvent, type SuppressionEntry, type SuppressionReason, type SuppressionService, type SuppressionSource } from '../../gateway/index.ts';
import { accountOf, bearerToken } from '../auth.ts';
import { apiError } from '../errors.ts';
import { exportSuppressions, importSuppressions } from '../suppression-csv.ts';
import { suppressBodySchema } from '../suppression-schemas.ts';

const errorResponses = { 400: { $ref: 'Error#' }, 404: { $ref: 'Error#' } };

interface SuppressBody {
  readonly number: string;
  readonly sender?: string;
  readonly reason: SuppressionReason;
  readonly note?: string;
}

export function suppressionRoutes(app: FastifyInstance, suppressions: SuppressionService): void {
  void app.register((scope, _options, done) => {
    // CSV bodies only here: the other routes keep refusing anything but JSON (415).
    scope.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, parsed) => parsed(null, body));
    routes(scope, suppressions);
    done();
  });
}

function routes(app: FastifyInstance, suppressions: SuppressionService): void {
  const compile = app.validatorCompiler;
  if (compile === undefined) throw new Error('installValidation must run before the suppression routes');
  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/v1/suppressions',
    {
      schema: {
        tags: ['suppressions'],
        summary: 'The suppression list, by number then sender, paged with a cursor',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, cursor: { type: 'string', maxLength: 200 } },
        },
        response: { 200: { $ref: 'SuppressionList#' }, ...errorResponses },
      },
    },
    async (request) => {
      const accountId = accountOf(request).id;
      const after = request.query.cursor === undefined ? undefined : readSuppressionCursor(request.query.cursor);
      const [page, count] = await Promise.all([suppressions.list(accountId, request.query.limit, after), suppressions.count(accountId)]);
      return { items: page.entries.map(entryView), count, ...(page.next === undefined ? {} : { nextCursor: suppressionCursor(page.next) }) };
    },
  );

  app.post<{ Body: SuppressBody }>(
    '/v1/suppressions',
    {
      schema: {
        tags: ['suppressions'],
        summary: 'Suppress a number for the whole account, or for one sender',
        description: '201 when the entry is new, 200 when it replaced the entry of the same number and sender (the consent record keeps both).',
        body: suppressBodySchema,
        response: { 200: { $ref: 'SuppressionEntry#' }, 201: { $ref: 'SuppressionEntry#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { number, sender, reason, note } = request.body;
      const { entry, created } = await suppressions.suppress(accountOf(request).id, {
        number,
        reason,
        source: apiSource(request),
        ...(sender === undefined ? {} : { sender }),
        ...(note === undefined ? {} : { note }),
      });
      return reply.code(created ? 201 : 200).send(entryView(entry));
    },
  );

  app.get(
    '/v1/suppressions/export',
    {
      schema: {
        tags: ['suppressions'],
        summary: 'The whole list as CSV (UTF-8 with BOM): number, sender, reason, note, createdAt, source, sourceDetail, sourceConnector',
        response: { 200: { description: 'CSV, UTF-8 with a BOM', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const accountId = accountOf(request).id;
      const csv = await exportSuppressions(suppressions, accountId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="suppressions-${accountId}.csv"`)
        .send(csv);
    },
  );

  app.post<{ Body: Buffer; Querystring: { reason: SuppressionReason; name?: string } }>(
    '/v1/suppressions/import',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['suppressions'],
        summary: 'Add entries from a CSV file (header row: number[,sender][,reason][,note])',
        description:
          'Content-Type text/csv, UTF-8 with or without a BOM, or charset=shift_jis. At most 100,000 rows. Good rows are applied; ' +
          'each refused row is listed with its line number (1 is the header), code and column. `reason` fills rows without one (default imported); ' +
          '`name` (the file name) is kept in the consent record.',
        consumes: ['text/csv'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', enum: suppressBodySchema.properties.reason.enum, default: 'imported' }, name: { type: 'string', maxLength: 200 } },
        },
        body: { type: 'string', description: 'CSV' },
        response: { 200: { $ref: 'SuppressionImport#' }, ...errorResponses },
      },
      // The body schema documents the CSV in the OpenAPI; the parser hands over octets, which readImport checks.
      validatorCompiler: (request) => (request.httpPart === 'body' ? () => true : compile(request)),
    },
    async (request) => {
      const accountId = accountOf(request).id;
      if (!Buffer.isBuffer(request.body)) throw apiError('API_UNSUPPORTED_MEDIA_TYPE', 'send the CSV as text/csv');
      const key = apiSource(request).detail ?? '';
      const source: SuppressionSource = { kind: 'import', detail: request.query.name === undefined ? key : `${request.query.name} (${key})` };
      return importSuppressions(suppressions, accountId, request.body, request.headers['content-type'], request.query.reason, source);
    },
  );

  app.get<{ Params: { number: string } }>(
    '/v1/suppressions/:number',
    {
      schema: {
        tags: ['suppressions'],
        summary: "A number's entries and consent history (any form of the number, national ones too)",
        params: { type: 'object', properties: { number: { type: 'string', maxLength: 32 } } },
        response: { 200: { $ref: 'SuppressionLookup#' }, ...errorResponses },
      },
    },
    async (request) => {
      const found = await suppressions.lookup(accountOf(request).id, plus(request.params.number));
      return { number: found.number, suppressed: found.entries.length > 0, entries: found.entries.map(entryView), history: found.history.map(consentView) };
    },
  );

  app.delete<{ Params: { number: string }; Querystring: { sender?: string; note?: string } }>(
    '/v1/suppressions/:number',
    {
      schema: {
        tags: ['suppressions'],
        summary: "Lift a number's account-wide entry, or one sender's with ?sender=",
        description: '404 API_NOT_FOUND when there is no such entry. The consent record keeps the lift.',
        params: { type: 'object', properties: { number: { type: 'string', maxLength: 32 } } },
        querystring: { type: 'object', additionalProperties: false, properties: { sender: { type: 'string', minLength: 1, maxLength: 20 }, note: { type: 'string', maxLength: 500 } } },
        response: { 200: { $ref: 'SuppressionEntry#' }, ...errorResponses },
      },
    },
    async (request) => {
      const { sender, note } = request.query;
      const lifted = await suppressions.lift(accountOf(request).id, {
        number: plus(request.params.number),
        source: apiSource(request),
        ...(sender === undefined ? {} : { sender: plus(sender) }),
        ...(note === undefined ? {} : { note }),
      });
      if (lifted === undefined) throw apiError('API_NOT_FOUND', `no ${sender === undefined ? 'account-wide ' : "such sender's "}suppression of this number`, { field: 'number' });
      return entryView(lifted);
    },
  );
}

/** The request's API key by its fingerprint: enough to tell an account's keys apart, useless to anyone holding it. */
function apiSource(request: FastifyRequest): SuppressionSource {
  const token = bearerToken(request);
  return { kind: 'api', detail: token === undefined ? `account ${accountOf(request).id}` : `key ${hashApiKey(token).slice(0, 8)}` };
}

/** The opaque cursor clients pass back for the page after a store cursor (the API's and the console's lists). */
export function suppressionCursor(next: string): string {
  return Buffer.from(next, 'utf8').toString('base64url');
}

/** The store cursor inside a client's cursor; GW_INVALID_CURSOR for one this gateway did not issue. */
export function readSuppressionCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  // A store cursor is a number in E.164, NUL, then a sender or nothing (suppressionKey).
  const [number = '', sender, extra] = decoded.split('\u0000');
  if (!/^\+[0-9]{1,15}$/.test(number) || sender === undefined || sender.length > 32 || extra !== undefined) throw gatewayError('GW_INVALID_CURSOR', 'cursor', { field: 'cursor' });
  return decoded;
}

/** An unencoded `+` in a URL reads as a space in a query string (and some clients send it so in paths too). */
function plus(value: string): string {
  return value.replace(/^ (?=[0-9])/, '+');
}

export function entryView(entry: SuppressionEntry): Record<string, unknown> {
  return {
    number: entry.number,
    ...(entry.sender === undefined ? {} : { sender: entry.sender }),
    scope: entry.sender === undefined ? 'account' : 'sender',
    reason: entry.reason,
    source: entry.source,
    createdAt: new Date(entry.createdAt).toISOString(),
    ...(entry.note === undefined ? {} : { note: entry.note }),
  };
}

function consentView(event: ConsentEvent): Record<string, unknown> {
  return {
    action: event.action,
    at: new Date(event.at).toISOString(),
    ...(event.sender === undefined ? {} : { sender: event.sender }),
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    source: event.source,
    ...(event.note === undefined ? {} : { note: event.note }),
  };
}
