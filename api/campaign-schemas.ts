/** JSON schemas of the campaign routes (validation, serialization and OpenAPI, as api/schemas.ts). */
import { DUPLICATE_POLICIES, MAX_CAMPAIGN_ROWS } from '../gateway/index.ts';

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

const rowError = {
  type: 'object',
  required: ['line', 'code', 'message'],
  properties: { line: { type: 'integer' }, column: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
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
    refusals: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Refused rows per CAMPAIGN_ code' },
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

export const CAMPAIGN_SCHEMAS = [campaignPreviewBodySchema, campaignPreviewSchema] as const;
