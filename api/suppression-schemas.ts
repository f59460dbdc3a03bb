/** JSON schemas of the suppression list routes (validation, serialization and OpenAPI, as api/schemas.ts). */
import { SUPPRESSION_REASONS } from '../gateway/index.ts';

const SOURCE_KINDS = ['keyword', 'api', 'operator', 'import', 'system'] as const;

const sourceSchema = {
  type: 'object',
  required: ['kind'],
  description: 'Who made the change: keyword (detail: the text the recipient sent; connector: where it came in), api (detail: "key <first 8 hex of the API key SHA-256>"), operator, import, system',
  properties: { kind: { type: 'string', enum: SOURCE_KINDS }, detail: { type: 'string' }, connector: { type: 'string' } },
} as const;

export const suppressionEntrySchema = {
  $id: 'SuppressionEntry',
  type: 'object',
  required: ['number', 'scope', 'reason', 'source', 'createdAt'],
  properties: {
    number: { type: 'string', description: 'E.164' },
    sender: { type: 'string', description: 'The one sender this entry blocks; absent when it blocks the whole account' },
    scope: { type: 'string', enum: ['account', 'sender'] },
    reason: { type: 'string', enum: SUPPRESSION_REASONS },
    source: sourceSchema,
    createdAt: { type: 'string', format: 'date-time' },
    note: { type: 'string' },
  },
} as const;

export const consentEventSchema = {
  $id: 'ConsentEvent',
  type: 'object',
  required: ['action', 'at', 'source'],
  properties: {
    action: { type: 'string', enum: ['suppressed', 'lifted'] },
    at: { type: 'string', format: 'date-time' },
    sender: { type: 'string' },
    reason: { type: 'string', enum: SUPPRESSION_REASONS },
    source: sourceSchema,
    note: { type: 'string' },
  },
} as const;

export const suppressionListSchema = {
  $id: 'SuppressionList',
  type: 'object',
  required: ['items', 'count'],
  properties: {
    items: { type: 'array', items: { $ref: 'SuppressionEntry#' } },
    count: { type: 'integer', description: 'Entries the account has in all' },
    nextCursor: { type: 'string', description: 'Pass as cursor for the next page; absent on the last page' },
  },
} as const;

export const suppressionLookupSchema = {
  $id: 'SuppressionLookup',
  type: 'object',
  required: ['number', 'suppressed', 'entries', 'history'],
  properties: {
    number: { type: 'string', description: 'E.164, as the number was read' },
    suppressed: { type: 'boolean', description: 'True when any entry (account-wide or a sender) is in force' },
    entries: { type: 'array', items: { $ref: 'SuppressionEntry#' } },
    history: { type: 'array', items: { $ref: 'ConsentEvent#' }, description: 'The consent record, oldest first; kept after a lift' },
  },
} as const;

export const suppressionImportSchema = {
  $id: 'SuppressionImport',
  type: 'object',
  required: ['rows', 'added', 'replaced', 'refused', 'errors'],
  properties: {
    rows: { type: 'integer', description: 'Data rows read (the header not counted)' },
    added: { type: 'integer', description: 'Rows that made a new entry' },
    replaced: { type: 'integer', description: 'Rows that replaced an entry already there (same number and sender)' },
    refused: { type: 'integer' },
    errors: {
      type: 'array',
      description: 'The refused rows (the first 1,000): line number (1 is the header), code, message and column',
      items: { type: 'object', required: ['line', 'code', 'message'], properties: { line: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } },
    },
  },
} as const;

export const suppressBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['number'],
  properties: {
    number: { type: 'string', minLength: 1, maxLength: 32, description: 'Any form a submit takes: E.164, or national with the account defaultCountry' },
    sender: { type: 'string', minLength: 1, maxLength: 20, description: 'Block only this sender; absent for the whole account' },
    reason: { type: 'string', enum: SUPPRESSION_REASONS, default: 'manual' },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

export const SUPPRESSION_SCHEMAS = [suppressionEntrySchema, consentEventSchema, suppressionListSchema, suppressionLookupSchema, suppressionImportSchema] as const;
