/** JSON schemas of the campaign routes (validation, serialization and OpenAPI, as api/schemas.ts). */
import { CAMPAIGN_ERRORS, CAMPAIGN_STATES, DUPLICATE_POLICIES, MAX_CAMPAIGN_ROWS, RECIPIENT_STATUSES, SEND_WINDOW_SCHEMA, type CampaignErrorCode } from '../gateway/index.ts';
import { httpStatusFor } from './errors.ts';

const CODES = Object.keys(CAMPAIGN_ERRORS) as CampaignErrorCode[];
/** The codes a row is refused with, listed in a preview's or create's summary (never a request's answer). */
export const CAMPAIGN_ROW_CODES = CODES.filter((code) => CAMPAIGN_ERRORS[code].row);

/** The CAMPAIGN_ codes a route answers with, each with its HTTP status and meaning (for the OpenAPI descriptions). */
export function campaignErrorsDoc(codes: readonly CampaignErrorCode[]): string {
  return `Errors: ${codes.map((code) => `${code} (${httpStatusFor(code)}: ${CAMPAIGN_ERRORS[code].message})`).join('; ')}.`;
}

/** The codes of a request's input (preview and create). */
export const CAMPAIGN_INPUT_CODES: readonly CampaignErrorCode[] = [
  'CAMPAIGN_INVALID_REQUEST',
  'CAMPAIGN_INVALID_CSV',
  'CAMPAIGN_NO_PHONE_COLUMN',
  'CAMPAIGN_TOO_MANY_ROWS',
  'CAMPAIGN_INVALID_TEMPLATE',
  'CAMPAIGN_UNKNOWN_VARIABLE',
  'CAMPAIGN_LINKS_NOT_CONFIGURED',
];

/** What each state means (the Campaign schema and the OpenAPI). */
const STATE_DOC =
  'draft: stored, waiting for POST /v1/campaigns/{id}/start; scheduled: waiting for sendAt; running: handing recipients on; ' +
  'paused: nothing handed on until resumed; completed: every recipient handed on (their messages may still be on their way); ' +
  'canceled: stopped for good (recipients never handed on are canceled). draft -> scheduled | running; scheduled -> running; ' +
  'running <-> paused; running -> completed; any but completed -> canceled. Each change is a campaign.status event and webhook.';

const inputOptions = {
  template: { type: 'string', minLength: 1, maxLength: 10_000, description: 'Message text with {{variable}} names (Mustache, no HTML escaping); {{link}} is the short link' },
  phoneColumn: { type: 'string', minLength: 1, maxLength: 200, description: 'The column holding the number (default: phone, to, number, tel, mobile, 電話番号, 携帯番号 or 携帯電話番号)' },
  duplicates: { type: 'string', enum: DUPLICATE_POLICIES, default: 'refuse', description: 'refuse: a repeated number is an error row; first: it is skipped (rows.skipped)' },
  from: { type: 'string', minLength: 1, maxLength: 20, description: 'Sender (default: the account\'s defaultSender)' },
  tag: { type: 'string', minLength: 1, maxLength: 50, description: 'The campaign messages\' tag (routing rules, suppression exemptions)' },
  sampleRows: { type: 'integer', minimum: 0, maximum: 100, default: 10, description: 'Rendered rows to return' },
} as const;

/** The JSON form of a preview; the multipart form has the same fields beside a `file` part (the CSV). */
export const campaignPreviewBodySchema = {
  $id: 'CampaignPreviewRequest',
  type: 'object',
  additionalProperties: false,
  required: ['template', 'rows'],
  properties: {
    ...inputOptions,
    rows: {
      type: 'array',
      maxItems: MAX_CAMPAIGN_ROWS,
      description: 'One object per recipient: the phone column and the variables',
      items: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
    },
  },
} as const;

/** The multipart form (documentation only: the route reads the parts itself). */
export const campaignPreviewFormSchema = {
  type: 'object',
  required: ['file', 'template'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'The CSV (header row first): UTF-8 with or without a BOM, or Shift_JIS (CP932); at most 32 MiB and 100,000 rows' },
    encoding: { type: 'string', enum: ['auto', 'utf-8', 'shift_jis', 'cp932', 'windows-31j', 'sjis'], default: 'auto' },
    ...inputOptions,
    sampleRows: { type: 'string', description: 'Rendered rows to return (0 to 100, default 10)' },
  },
} as const;

/** The multipart form of POST /v1/campaigns/columns (documentation only: the route reads the parts itself). */
export const campaignColumnsFormSchema = {
  type: 'object',
  required: ['file'],
  properties: { encoding: campaignPreviewFormSchema.properties.encoding, file: campaignPreviewFormSchema.properties.file },
} as const;

export const campaignColumnsSchema = {
  $id: 'CampaignColumns',
  type: 'object',
  required: ['columns', 'rows', 'encoding'],
  properties: {
    columns: { type: 'array', items: { type: 'string' }, description: "The header's column names (trimmed), in file order" },
    phoneColumn: { type: 'string', description: 'The column a preview or campaign takes for the number when phoneColumn is not given (absent: none has a usual name)' },
    rows: { type: 'integer', description: 'Data rows (rows with the wrong number of fields included; empty lines are not rows)' },
    encoding: { type: 'string', enum: ['utf-8', 'shift_jis'], description: 'The encoding as read' },
  },
} as const;

const rowError = {
  type: 'object',
  required: ['line', 'code', 'message'],
  properties: { line: { type: 'integer' }, column: { type: 'string' }, code: { type: 'string', enum: CAMPAIGN_ROW_CODES, description: 'Why the row was refused' }, message: { type: 'string' } },
} as const;

export const campaignPreviewSchema = {
  $id: 'CampaignPreview',
  type: 'object',
  required: ['rows', 'messages', 'segments', 'price', 'carriers', 'refusals', 'errors', 'errorsTruncated', 'sample'],
  properties: {
    rows: {
      type: 'object',
      required: ['total', 'valid', 'refused', 'skipped'],
      properties: { total: { type: 'integer' }, valid: { type: 'integer' }, refused: { type: 'integer' }, skipped: { type: 'integer', description: 'Repeated numbers left out under duplicates=first' } },
    },
    messages: { type: 'integer', description: 'Messages the campaign would send (the valid rows)' },
    segments: { type: 'integer', description: 'Segments they take, per destination carrier profile' },
    price: { type: 'object', additionalProperties: { type: 'number' }, description: 'Estimated price per currency (the route\'s first connector, per segment)' },
    carriers: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Valid rows per destination carrier (after number portability)' },
    refusals: { type: 'object', additionalProperties: { type: 'integer' }, description: `Refused rows per code: ${CAMPAIGN_ROW_CODES.join(', ')}` },
    errors: { type: 'array', items: rowError, description: 'The first 1,000 refused rows (line 1 is the CSV header; for JSON rows, the row\'s position from 1)' },
    errorsTruncated: { type: 'boolean' },
    sample: {
      type: 'array',
      items: {
        type: 'object',
        required: ['line', 'to', 'text', 'encoding', 'segments', 'carrier'],
        properties: {
          line: { type: 'integer' },
          to: { type: 'string' },
          text: { type: 'string' },
          encoding: { type: 'string' },
          segments: { type: 'integer' },
          carrier: { type: 'string' },
          price: { type: 'number' },
          currency: { type: 'string' },
        },
      },
    },
    encoding: { type: 'string', enum: ['utf-8', 'shift_jis'], description: 'The CSV encoding as read (absent for JSON rows)' },
  },
} as const;

/** What a campaign adds to the preview's input: how and when it sends. */
const createOptions = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  sendAt: { type: 'string', format: 'date-time', description: 'Start then (state scheduled); absent: at once (running)' },
  start: { type: 'boolean', default: true, description: 'false: stay a draft until POST /v1/campaigns/{id}/start' },
  sendWindow: { ...SEND_WINDOW_SCHEMA, description: "The campaign's own send window (same shape as accounts[].sendWindow); absent: the account's" },
  pacing: {
    type: 'object',
    additionalProperties: false,
    description: 'Segments per second or per hour, as carriers count them; absent: as fast as the connectors take them',
    properties: { segmentsPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 10_000 }, segmentsPerHour: { type: 'number', exclusiveMinimum: 0, maximum: 36_000_000 } },
  },
  validitySeconds: { type: 'integer', minimum: 60, maximum: 604_800 },
  links: {
    type: 'object',
    additionalProperties: false,
    description: '{{link}}: the target per row (targetColumn, e.g. url) or one target for all; each recipient gets a link of their own',
    properties: { targetColumn: { type: 'string', minLength: 1, maxLength: 200 }, target: { type: 'string', minLength: 8, maxLength: 2048 }, expiresAt: { type: 'string', format: 'date-time' } },
  },
} as const;

export const campaignCreateBodySchema = {
  $id: 'CampaignCreateRequest',
  type: 'object',
  additionalProperties: false,
  required: ['template', 'rows'],
  properties: { ...campaignPreviewBodySchema.properties, ...createOptions },
} as const;

/** The multipart form of a create: the preview's fields, these, and `sendWindow`, `pacing`, `links` as JSON text. */
export const campaignCreateFormSchema = {
  type: 'object',
  required: ['file', 'template'],
  properties: {
    ...campaignPreviewFormSchema.properties,
    name: createOptions.name,
    sendAt: createOptions.sendAt,
    start: { type: 'string', enum: ['true', 'false'] },
    validitySeconds: { type: 'string', description: 'Seconds (60 to 604800)' },
    sendWindow: { type: 'string', description: 'JSON: the send window object' },
    pacing: { type: 'string', description: 'JSON: {"segmentsPerSecond": n} or {"segmentsPerHour": n}' },
    links: { type: 'string', description: 'JSON: {"targetColumn": "url"} or {"target": "https://..."}, optional "expiresAt"' },
  },
} as const;

const counts = {
  type: 'object',
  description: 'Recipients per status; clicked counts recipients who followed their link',
  properties: Object.fromEntries([...RECIPIENT_STATUSES, 'clicked'].map((status) => [status, { type: 'integer' }])),
} as const;

export const campaignSchema = {
  $id: 'Campaign',
  type: 'object',
  required: ['id', 'state', 'template', 'options', 'recipients', 'segments', 'createdAt', 'times', 'counts', 'progress'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    state: { type: 'string', enum: CAMPAIGN_STATES, description: STATE_DOC },
    template: { type: 'string' },
    options: { type: 'object', additionalProperties: true, description: 'tag, from, sendAt, sendWindow, pacing, validitySeconds, links as given (times in epoch ms)' },
    recipients: { type: 'integer' },
    segments: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    times: { type: 'object', additionalProperties: { type: 'string', format: 'date-time' }, description: 'scheduledAt, startedAt, pausedAt, resumedAt, completedAt, canceledAt (the latest of each)' },
    counts,
    progress: {
      type: 'object',
      required: ['handedOn', 'percent', 'ratePerSecond'],
      properties: {
        handedOn: { type: 'integer', description: 'Recipients handed on to the gateway (or refused at submit)' },
        percent: { type: 'number' },
        ratePerSecond: { type: 'number', description: 'Recipients handed on per second since the start' },
        etaSeconds: { type: 'integer', description: 'Until the last is handed on, at the pacing or the measured rate' },
      },
    },
  },
} as const;

export const campaignCreatedSchema = {
  $id: 'CampaignCreated',
  type: 'object',
  required: ['campaign', 'summary'],
  properties: { campaign: { $ref: 'Campaign#' }, summary: { $ref: 'CampaignPreview#' } },
} as const;

const stamp = { type: 'string', format: 'date-time' } as const;

export const campaignRecipientsSchema = {
  $id: 'CampaignRecipients',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'line', 'to', 'status', 'segments'],
        properties: {
          index: { type: 'integer' },
          line: { type: 'integer' },
          to: { type: 'string' },
          status: {
            type: 'string',
            enum: RECIPIENT_STATUSES,
            description:
              'pending: not handed on yet; queued: handed on (its message made); sent: the carrier accepted it; delivered; ' +
              'failed (failed, undelivered, expired, rejected or unknown; or refused at submit, without a message); canceled (never handed on, or its message canceled)',
          },
          segments: { type: 'integer' },
          messageId: { type: 'string' },
          error: { type: 'string', description: 'The GW_ code a refused submit had, or the failed part\'s code' },
          queuedAt: stamp,
          sentAt: stamp,
          deliveredAt: stamp,
          failedAt: stamp,
          canceledAt: stamp,
          clickedAt: stamp,
        },
      },
    },
    nextCursor: { type: 'integer', description: 'Pass as cursor for the next page' },
  },
} as const;

export const CAMPAIGN_SCHEMAS = [campaignColumnsSchema, campaignPreviewBodySchema, campaignPreviewSchema, campaignCreateBodySchema, campaignSchema, campaignCreatedSchema, campaignRecipientsSchema] as const;
