/**
 * /v1/campaigns after create: list, read (state, counts per status, rate, ETA), start / pause / resume / cancel,
 * the recipients (paged, filtered by status) and their CSV export (UTF-8 with a BOM, for Excel). Also reads the
 * create options from a JSON body or a form's text fields.
 */
import { stringify, type Stringifier } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { campaignError, RECIPIENT_STATUSES, sendWindowProblem, type CampaignService, type CreateCampaign, type DuplicatePolicy, type RecipientFilter, type SendWindowConfig } from '../../gateway/index.ts';
import { accountOf } from '../auth.ts';
import { campaignErrorsDoc } from '../campaign-schemas.ts';

export const CREATE_FORM_FIELDS: ReadonlySet<string> = new Set([
  'template', 'phoneColumn', 'encoding', 'duplicates', 'from', 'tag', 'sampleRows',
  'name', 'sendAt', 'start', 'validitySeconds', 'sendWindow', 'pacing', 'links',
]);

/** What a preview takes: the rows, the template and how to read them. */
export interface PreviewBody {
  readonly template: string;
  readonly rows: readonly Readonly<Record<string, string | number>>[];
  readonly phoneColumn?: string;
  readonly duplicates?: DuplicatePolicy;
  readonly from?: string;
  readonly tag?: string;
  readonly sampleRows?: number;
}

/** What a create takes: the preview's input and the campaign's options. */
export interface CreateBody extends PreviewBody {
  readonly name?: string;
  readonly sendAt?: string;
  readonly start?: boolean;
  readonly sendWindow?: SendWindowConfig;
  readonly pacing?: { readonly segmentsPerSecond?: number; readonly segmentsPerHour?: number };
  readonly validitySeconds?: number;
  readonly links?: { readonly targetColumn?: string; readonly target?: string; readonly expiresAt?: string };
}

type Given = Omit<CreateBody, keyof PreviewBody>;

function invalid(detail: string, field: string): Error {
  return campaignError('CAMPAIGN_INVALID_REQUEST', detail, { field });
}

function json<T>(fields: Readonly<Record<string, string>>, name: string): T | undefined {
  const text = fields[name];
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw invalid(`${name} is not JSON`, name);
  }
}

function instant(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw invalid(`${field} "${text}" is not an ISO 8601 date-time`, field);
  return at;
}

/** The create options of a form's text fields (checked here; the JSON body's schema checks the same). */
export function formCreateOptions(fields: Readonly<Record<string, string>>): CreateCampaign {
  return createOptionsOf(formOptions(fields));
}

/** The create options of a JSON body (schema-checked), and what the schema cannot say. */
export function createOptionsOf(body: Given): CreateCampaign {
  const { sendWindow, pacing, links } = body;
  if (sendWindow !== undefined) {
    const problem = sendWindowProblem(sendWindow, 'sendWindow');
    if (problem !== undefined) throw invalid(`${problem[0]}: ${problem[1]}`, problem[0]);
  }
  if (pacing !== undefined && (pacing.segmentsPerSecond === undefined) === (pacing.segmentsPerHour === undefined)) throw invalid('pacing takes one of segmentsPerSecond and segmentsPerHour', 'pacing');
  const sendAt = instant(body.sendAt, 'sendAt');
  const expiresAt = instant(links?.expiresAt, 'links.expiresAt');
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(sendAt === undefined ? {} : { sendAt }),
    ...(body.start === undefined ? {} : { start: body.start }),
    ...(sendWindow === undefined ? {} : { sendWindow }),
    ...(pacing === undefined ? {} : { pacing }),
    ...(body.validitySeconds === undefined ? {} : { validitySeconds: body.validitySeconds }),
    ...(links === undefined ? {} : { links: { ...(links.targetColumn === undefined ? {} : { targetColumn: links.targetColumn }), ...(links.target === undefined ? {} : { target: links.target }), ...(expiresAt === undefined ? {} : { expiresAt }) } }),
  };
}

function formOptions(fields: Readonly<Record<string, string>>): Given {
  const { name, sendAt, start, validitySeconds } = fields;
  if (start !== undefined && start !== 'true' && start !== 'false') throw invalid('start is true or false', 'start');
  const validity = validitySeconds === undefined || validitySeconds === '' ? undefined : Number(validitySeconds);
  if (validity !== undefined && (!Number.isInteger(validity) || validity < 60 || validity > 604_800)) throw invalid('validitySeconds is an integer from 60 to 604800', 'validitySeconds');
  const pacing = json<CreateBody['pacing']>(fields, 'pacing');
  for (const [key, value] of Object.entries(pacing ?? {})) {
    if (key !== 'segmentsPerSecond' && key !== 'segmentsPerHour') throw invalid(`pacing.${key} is not a pacing option`, `pacing.${key}`);
    if (typeof value !== 'number' || !(value > 0)) throw invalid(`pacing.${key} is a number above 0`, `pacing.${key}`);
  }
  const links = json<CreateBody['links']>(fields, 'links');
  const sendWindow = json<SendWindowConfig>(fields, 'sendWindow');
  if (sendWindow !== undefined && !Array.isArray(sendWindow.rules)) throw invalid('sendWindow needs rules', 'sendWindow.rules');
  return {
    ...(name === undefined || name === '' ? {} : { name }),
    ...(sendAt === undefined || sendAt === '' ? {} : { sendAt }),
    ...(start === undefined ? {} : { start: start === 'true' }),
    ...(validity === undefined ? {} : { validitySeconds: validity }),
    ...(pacing === undefined ? {} : { pacing }),
    ...(links === undefined ? {} : { links }),
    ...(sendWindow === undefined ? {} : { sendWindow }),
  };
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const FILTERS = [...RECIPIENT_STATUSES, 'clicked'] as const;
const ACTIONS = ['start', 'pause', 'resume', 'cancel'] as const;
const ACTION_SUMMARY: Readonly<Record<(typeof ACTIONS)[number], string>> = {
  start: 'Start a draft (at once, or at its sendAt): draft -> running | scheduled',
  pause: 'Pause: nothing more is handed on until resumed (running | scheduled -> paused)',
  resume: 'Resume a paused campaign where it stopped (paused -> running)',
  cancel: 'Cancel for good: recipients not yet handed on, and messages still queued, are canceled',
};

/** What each action does to the recipients, beside its state change. */
const ACTION_DOC: Readonly<Record<(typeof ACTIONS)[number], string>> = {
  start: 'A draft with a future sendAt becomes scheduled, else running.',
  pause: 'A recipient being handed on in any process as the pause lands is still handed on; no other is.',
  resume: 'Goes on from the stored cursor; a recipient handed on but not yet confirmed is not sent again.',
  cancel:
    'Every recipient never handed on becomes canceled, and the messages still queued (not yet with a connector) are canceled; ' +
    'a recipient handed on keeps the status of its message.',
};

export function campaignControlRoutes(app: FastifyInstance, campaigns: CampaignService): void {
  app.get<{ Querystring: { limit?: number } }>(
    '/v1/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: "The account's campaigns, newest first",
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
        response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: 'Campaign#' } } } } },
      },
    },
    async (request) => ({ items: await campaigns.list(accountOf(request).id, request.query.limit ?? 50) }),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'A campaign: state, counts per recipient status, progress, rate and ETA',
        description: campaignErrorsDoc(['CAMPAIGN_NOT_FOUND']),
        params: idParams,
        response: { 200: { $ref: 'Campaign#' }, 404: { $ref: 'Error#' } },
      },
    },
    (request) => campaigns.get(accountOf(request).id, request.params.id),
  );
  for (const action of ACTIONS) {
    app.post<{ Params: { id: string } }>(
      `/v1/campaigns/:id/${action}`,
      {
        schema: {
          tags: ['campaigns'],
          summary: ACTION_SUMMARY[action],
          description: `${ACTION_DOC[action]} ${campaignErrorsDoc(['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_BAD_STATE'])}`,
          params: idParams,
          response: { 200: { $ref: 'Campaign#' }, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' } },
        },
      },
      (request) => {
        const account = accountOf(request).id;
        return action === 'cancel' ? campaigns.cancel(account, request.params.id) : campaigns.control(account, request.params.id, action);
      },
    );
  }
  app.get<{ Params: { id: string }; Querystring: { status?: RecipientFilter; limit?: number; cursor?: number } }>(
    '/v1/campaigns/:id/recipients',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Recipients in row order with their status and times, paged (cursor) and filtered by status (or clicked)',
        description: campaignErrorsDoc(['CAMPAIGN_NOT_FOUND']),
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: FILTERS }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, cursor: { type: 'integer', minimum: 0 } },
        },
        response: { 200: { $ref: 'CampaignRecipients#' }, 404: { $ref: 'Error#' } },
      },
    },
    (request) => {
      const { status, limit, cursor } = request.query;
      return campaigns.recipients(accountOf(request).id, request.params.id, { limit: limit ?? 100, ...(status === undefined ? {} : { status }), ...(cursor === undefined ? {} : { cursor }) });
    },
  );
  app.get<{ Params: { id: string }; Querystring: { status?: RecipientFilter } }>(
    '/v1/campaigns/:id/recipients.csv',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Every recipient as CSV (UTF-8 with a BOM, CRLF): index, line, to, status, segments, messageId, error and the times',
        description: campaignErrorsDoc(['CAMPAIGN_NOT_FOUND']),
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: FILTERS } } },
        response: { 200: { content: { 'text/csv': { schema: { type: 'string' } } } }, 404: { $ref: 'Error#' } },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const csv = await recipientsCsv(campaigns, accountOf(request).id, id, request.query.status);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${recipientsCsvName(id)}"`).send(csv);
    },
  );
}

const CSV_COLUMNS = ['index', 'line', 'to', 'status', 'segments', 'messageId', 'error', 'queuedAt', 'sentAt', 'deliveredAt', 'failedAt', 'canceledAt', 'clickedAt'];

export function recipientsCsvName(id: string): string {
  return `campaign-${id}-recipients.csv`;
}

/**
 * A campaign's recipients as CSV (UTF-8 with a BOM, CRLF, a header row), streamed in row order; the API's export
 * and the console's are this one. Throws CAMPAIGN_NOT_FOUND before anything is written.
 */
export async function recipientsCsv(campaigns: CampaignService, accountId: string, id: string, status: RecipientFilter | undefined): Promise<Stringifier> {
  await campaigns.get(accountId, id);
  const csv = stringify({ bom: true, record_delimiter: 'windows', header: true, columns: CSV_COLUMNS });
  const rows = campaigns.all(accountId, id, status);
  void (async () => {
    try {
      for await (const row of rows) if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      csv.end();
    } catch (error: unknown) {
      csv.destroy(error as Error);
    }
  })();
  return csv;
}
