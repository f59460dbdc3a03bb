/**
 * /v1/campaigns: the campaign input. `POST /v1/campaigns/columns` reads a CSV's header (for mapping its columns);
 * `POST /v1/campaigns/preview` is the dry run: the rows (a CSV file as
 * multipart/form-data, or JSON rows) are read, rendered and validated as a campaign would send them, and the
 * answer sums them up; nothing is stored or sent. A CSV is streamed through (never held whole) when its fields
 * come before the file part, as forms and `curl -F` send them in the order given; a file sent first is held
 * (at most 32 MiB) until the fields after it are read.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { DUPLICATE_POLICIES, campaignError, type AccountConfig, type CampaignInputService, type CsvColumns, type CampaignRowsRequest, type CampaignService, type CampaignSource, type DuplicatePolicy, type PreviewAnswer } from '../../gateway/index.ts';
import { campaignControlRoutes, createOptionsOf, CREATE_FORM_FIELDS, formCreateOptions, type CreateBody, type PreviewBody } from './campaign-control.ts';
import { accountOf } from '../auth.ts';
import { apiError } from '../errors.ts';
import { CAMPAIGN_INPUT_CODES, campaignColumnsFormSchema, campaignCreateFormSchema, campaignErrorsDoc, campaignPreviewFormSchema } from '../campaign-schemas.ts';

export const MAX_CAMPAIGN_FILE_BYTES = 32 * 1024 * 1024;
const PROGRESS_EVERY = 10_000;
const FORM_FIELDS: ReadonlySet<string> = new Set(['template', 'phoneColumn', 'encoding', 'duplicates', 'from', 'tag', 'sampleRows']);
const COLUMNS_FIELDS: ReadonlySet<string> = new Set(['encoding']);


export function campaignRoutes(app: FastifyInstance, campaigns: CampaignInputService, service: CampaignService): void {
  void app.register(async (scope) => {
    // Multipart bodies only here: the other routes keep refusing anything but JSON (415).
    await scope.register(multipart, { limits: { fileSize: MAX_CAMPAIGN_FILE_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 } });
    routes(scope, campaigns, service);
  });
  campaignControlRoutes(app, service);
}

function routes(app: FastifyInstance, campaigns: CampaignInputService, service: CampaignService): void {
  const compile = app.validatorCompiler;
  if (compile === undefined) throw new Error('installValidation must run before the campaign routes');
  app.post<{ Body: PreviewBody | undefined }>(
    '/v1/campaigns/preview',
    {
      bodyLimit: MAX_CAMPAIGN_FILE_BYTES,
      schema: {
        tags: ['campaigns'],
        summary: 'Preview a campaign (dry run): rendered rows, totals of messages, segments and price, carriers, refused rows',
        description:
          'A CSV upload (multipart/form-data: a `file` part and the fields; UTF-8 with or without a BOM or Shift_JIS, detected or named by `encoding`) ' +
          'or JSON rows. Each refused row is listed with its line, column and CAMPAIGN_ code (the first 1,000); the good rows are counted. Nothing is sent. ' +
          campaignErrorsDoc(CAMPAIGN_INPUT_CODES),
        consumes: ['application/json', 'multipart/form-data'],
        body: { content: { 'application/json': { schema: { $ref: 'CampaignPreviewRequest#' } }, 'multipart/form-data': { schema: campaignPreviewFormSchema } } },
        response: { 200: { $ref: 'CampaignPreview#' }, 400: { $ref: 'Error#' }, 413: { $ref: 'Error#' }, 422: { $ref: 'Error#' } },
      },
      // The form's schema documents it in the OpenAPI; its parts are read and checked below.
      validatorCompiler: (request) => (request.httpPart === 'body' && request.contentType === 'multipart/form-data' ? () => true : compile(request)),
    },
    async (request): Promise<PreviewAnswer> => {
      const account = accountOf(request);
      const progress = progressLog(request.log);
      if (request.isMultipart()) return previewUpload(campaigns, account, request.parts(), progress);
      const body = request.body;
      if (body === undefined) throw apiError('API_EMPTY_BODY');
      const { rows, sampleRows, ...options } = body;
      return campaigns.preview(account, { kind: 'rows', rows }, options, { sampleRows: sampleRows ?? 10, progress, every: PROGRESS_EVERY });
    },
  );
  app.post(
    '/v1/campaigns/columns',
    {
      bodyLimit: MAX_CAMPAIGN_FILE_BYTES,
      schema: {
        tags: ['campaigns'],
        summary: "A CSV's columns before a template is written: the header's names, the default phone column, the row count and the encoding",
        description:
          'The file is read as a preview reads it (the same decoding and refusals) and streamed; nothing is stored. ' +
          'Send `encoding` before the `file` part (or leave it out: auto). ' +
          campaignErrorsDoc(['CAMPAIGN_INVALID_REQUEST', 'CAMPAIGN_INVALID_CSV', 'CAMPAIGN_TOO_MANY_ROWS']),
        consumes: ['multipart/form-data'],
        body: { content: { 'multipart/form-data': { schema: campaignColumnsFormSchema } } },
        response: { 200: { $ref: 'CampaignColumns#' }, 400: { $ref: 'Error#' }, 413: { $ref: 'Error#' } },
      },
      validatorCompiler: (request) => (request.httpPart === 'body' && request.contentType === 'multipart/form-data' ? () => true : compile(request)),
    },
    async (request): Promise<CsvColumns> => {
      if (!request.isMultipart()) throw invalid('send the CSV as multipart/form-data (a "file" part)', 'file');
      return readUpload(request.parts(), COLUMNS_FIELDS, (source) => campaigns.columns(source as Extract<CampaignSource, { kind: 'csv' }>), () => true);
    },
  );
  app.post<{ Body: CreateBody | undefined }>(
    '/v1/campaigns',
    {
      bodyLimit: MAX_CAMPAIGN_FILE_BYTES,
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign from a CSV upload or JSON rows: stored, then sent (at once, at sendAt, or when started)',
        description:
          'The same input as the preview, plus how it sends: sendAt, start, sendWindow, pacing, validitySeconds, links. The rows are validated as the preview does; ' +
          'the good ones become the recipients, in order; the summary lists the refused rows. Answers the campaign (state draft, scheduled or running). ' +
          campaignErrorsDoc([...CAMPAIGN_INPUT_CODES, 'CAMPAIGN_NO_VALID_ROWS']),
        consumes: ['application/json', 'multipart/form-data'],
        body: { content: { 'application/json': { schema: { $ref: 'CampaignCreateRequest#' } }, 'multipart/form-data': { schema: campaignCreateFormSchema } } },
        response: { 201: { $ref: 'CampaignCreated#' }, 400: { $ref: 'Error#' }, 413: { $ref: 'Error#' }, 422: { $ref: 'Error#' } },
      },
      validatorCompiler: (request) => (request.httpPart === 'body' && request.contentType === 'multipart/form-data' ? () => true : compile(request)),
    },
    async (request, reply) => {
      const account = accountOf(request);
      if (request.isMultipart()) {
        const created = await readUpload(request.parts(), CREATE_FORM_FIELDS, (source, fields) => {
          const { request: rowsRequest } = formRequest(fields);
          return service.create(account, source, rowsRequest, formCreateOptions(fields));
        });
        return reply.code(201).send(created);
      }
      const body = request.body;
      if (body === undefined) throw apiError('API_EMPTY_BODY');
      const { rows, sampleRows: _sample, template, phoneColumn, duplicates, from, tag, ...rest } = body;
      const rowsRequest: CampaignRowsRequest = {
        template,
        ...(phoneColumn === undefined ? {} : { phoneColumn }),
        ...(duplicates === undefined ? {} : { duplicates }),
        ...(from === undefined ? {} : { from }),
        ...(tag === undefined ? {} : { tag }),
      };
      return reply.code(201).send(await service.create(account, { kind: 'rows', rows }, rowsRequest, createOptionsOf(rest)));
    },
  );
}

type Part = MultipartFile | { readonly type: 'field'; readonly fieldname: string; readonly value: unknown };

function previewUpload(campaigns: CampaignInputService, account: AccountConfig, parts: AsyncIterable<Part>, progress: (p: unknown) => void): Promise<PreviewAnswer> {
  return readUpload(parts, FORM_FIELDS, (source, fields) => {
    const { request, sampleRows } = formRequest(fields);
    return campaigns.preview(account, source, request, { sampleRows, progress, every: PROGRESS_EVERY });
  });
}

/**
 * The form's fields and its CSV part, streamed to `use` when the fields came first (`ready`: the template is
 * there), else held, then used.
 */
async function readUpload<T>(
  parts: AsyncIterable<Part>,
  allowed: ReadonlySet<string>,
  use: (source: CampaignSource, fields: Readonly<Record<string, string>>) => Promise<T>,
  ready: (fields: Readonly<Record<string, string>>) => boolean = (fields) => fields.template !== undefined,
): Promise<T> {
  const fields: Record<string, string> = {};
  let answer: T | undefined;
  let done = false;
  let held: Buffer | undefined;
  const run = (octets: Extract<CampaignSource, { kind: 'csv' }>['octets']): Promise<T> => use({ kind: 'csv', octets, ...(fields.encoding === undefined ? {} : { encoding: fields.encoding }) }, fields);
  for await (const part of parts) {
    if (part.type === 'field') {
      if (done) throw invalid(`field "${part.fieldname}" comes after the file: send the fields first`, part.fieldname);
      if (!allowed.has(part.fieldname)) throw invalid(`unknown field "${part.fieldname}" (the form takes file, ${[...allowed].join(', ')})`, part.fieldname);
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file') throw invalid(`the CSV goes in the part named "file", not "${part.fieldname}"`, part.fieldname);
    if (!ready(fields)) held = await part.toBuffer();
    else {
      answer = await run(checkedSize(part));
      done = true;
    }
  }
  if (done) return answer as T;
  if (held === undefined) throw invalid('the form has no "file" part (the CSV)', 'file');
  return run([held]);
}

/** The file part's octets; an upload cut at the size limit refuses the request rather than previewing part of it. */
async function* checkedSize(part: MultipartFile): AsyncGenerator<Uint8Array> {
  for await (const chunk of part.file as AsyncIterable<Buffer>) yield chunk;
  if (part.file.truncated) throw apiError('API_BODY_TOO_LARGE', `the file is over ${MAX_CAMPAIGN_FILE_BYTES} bytes`, { limit: MAX_CAMPAIGN_FILE_BYTES });
}

/** The form's text fields as a typed request (the JSON body's schema checks the same in the JSON form). */
export function formRequest(fields: Readonly<Record<string, string>>): { request: CampaignRowsRequest; sampleRows: number } {
  const { template, phoneColumn, duplicates, from, tag, sampleRows } = fields;
  if (template === undefined || template === '') throw invalid('the form has no "template" field', 'template');
  if (duplicates !== undefined && !(DUPLICATE_POLICIES as readonly string[]).includes(duplicates)) throw invalid(`duplicates "${duplicates}" is not one of ${DUPLICATE_POLICIES.join(', ')}`, 'duplicates');
  const sample = sampleRows === undefined ? 10 : Number(sampleRows);
  if (!Number.isInteger(sample) || sample < 0 || sample > 100) throw invalid('sampleRows is an integer from 0 to 100', 'sampleRows');
  return {
    request: {
      template,
      ...(phoneColumn === undefined || phoneColumn === '' ? {} : { phoneColumn }),
      ...(duplicates === undefined ? {} : { duplicates: duplicates as DuplicatePolicy }),
      ...(from === undefined || from === '' ? {} : { from }),
      ...(tag === undefined || tag === '' ? {} : { tag }),
    },
    sampleRows: sample,
  };
}

export function invalid(detail: string, field: string): Error {
  return campaignError('CAMPAIGN_INVALID_REQUEST', detail, { field });
}

function progressLog(log: FastifyBaseLogger): (progress: unknown) => void {
  return (progress) => log.info({ progress }, 'campaign preview progress');
}
