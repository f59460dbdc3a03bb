import type { FastifyInstance } from 'fastify';
import { USAGE_GROUPS, type UsageGroup, type UsageReport, type UsageService } from '../../gateway/index.ts';
import { accountOf } from '../auth.ts';
import { usageCsv } from '../usage-csv.ts';

interface UsageQuerystring {
  readonly from: string;
  readonly to: string;
  readonly groupBy: UsageGroup;
  readonly format?: 'json' | 'csv';
}

const DATE = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;
const figures = {
  messages: { type: 'integer' },
  segments: { type: 'integer' },
  price: { type: 'object', additionalProperties: { type: 'number' }, description: 'Amount per ISO 4217 currency (XXX: routes that name none); absent when nothing was priced' },
} as const;

/**
 * GET /v1/usage: the calling account's usage over a range of days (in `usage.timeZone`), by day, month, carrier,
 * connector or final status; JSON, or CSV with `Accept: text/csv` or `format=csv`.
 */
export function usageRoutes(app: FastifyInstance, usage: UsageService): void {
  app.get<{ Querystring: UsageQuerystring }>(
    '/v1/usage',
    {
      schema: {
        tags: ['usage'],
        summary: 'Usage of the account: messages, segments and price',
        description:
          'Days are local days of usage.timeZone (default UTC). day / month / carrier / connector count billed messages (those that reached a carrier) ' +
          'on the day they first did; status counts messages under their final status on the day they reached it. ' +
          'A range covers at most 366 days. CSV (UTF-8 with BOM) with Accept: text/csv or format=csv.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: {
            from: { ...DATE, description: 'First day, YYYY-MM-DD (inclusive)' },
            to: { ...DATE, description: 'Last day, YYYY-MM-DD (inclusive)' },
            groupBy: { enum: [...USAGE_GROUPS], default: 'day' },
            format: { enum: ['json', 'csv'], description: 'csv: the same as Accept: text/csv' },
          },
        },
        response: {
          200: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['from', 'to', 'groupBy', 'timeZone', 'items', 'total'],
                  properties: {
                    from: { type: 'string' },
                    to: { type: 'string' },
                    groupBy: { type: 'string' },
                    timeZone: { type: 'string' },
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        description: 'One group: its key under the groupBy name (day, month, carrier, connector or status)',
                        properties: { day: { type: 'string' }, month: { type: 'string' }, carrier: { type: 'string' }, connector: { type: 'string' }, status: { type: 'string' }, ...figures },
                      },
                    },
                    total: { type: 'object', properties: figures },
                  },
                },
              },
              'text/csv': { schema: { type: 'string', description: '<groupBy>,messages,segments,price_<currency>...' } },
            },
          },
          400: { $ref: 'Error#' },
          401: { $ref: 'Error#' },
          403: { $ref: 'Error#' },
          429: { $ref: 'Error#' },
        },
      },
    },
    async (request, reply) => {
      const { from, to, groupBy, format } = request.query;
      const report = await usage.report({ accountId: accountOf(request).id, from, to, groupBy });
      const csv = format === 'csv' || (format === undefined && wantsCsv(request.headers.accept));
      if (!csv) return reply.type('application/json; charset=utf-8').send(usageJson(report));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${from}-${to}-${groupBy}.csv"`)
        .send(usageCsv(report));
    },
  );
}

function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/csv\b/i.test(accept);
}

function usageJson(report: UsageReport): object {
  return {
    from: report.from,
    to: report.to,
    groupBy: report.groupBy,
    timeZone: report.timeZone,
    items: report.rows.map(({ key, ...figures }) => ({ [report.groupBy]: key, ...figures })),
    total: report.total,
  };
}
