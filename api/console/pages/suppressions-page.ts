/**
 * The suppression list (配信停止リスト): search by number in any form, the list paged, each number's entries and
 * consent record, adding and lifting entries (operators), CSV import and export. Every call is the one the
 * /v1/suppressions routes make: the suppression service for changes and reads, and api/suppression-csv.ts for
 * the files, so an import here reads, refuses and applies rows exactly as POST /v1/suppressions/import does.
 *
 * Changes made here are recorded with source `operator` (detail: the console user, or `key:<fingerprint>` for an API
 * key sign-in); imports with source `import` (detail: `<file name> (<user>)`).
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { isCodedError, maskDigits } from '../../../common/index.ts';
import { SUPPRESSION_REASONS, type ConsentEvent, type SuppressionEntry, type SuppressionReason, type SuppressionSource } from '../../../gateway/index.ts';
import { apiError } from '../../errors.ts';
import { readSuppressionCursor, suppressionCursor } from '../../routes/suppressions.ts';
import { exportSuppressions, importSuppressions, MAX_IMPORT_ROWS, type ImportOutcome } from '../../suppression-csv.ts';
import { consoleOf, requireOperator, signedInOf, viewData, type SignedIn } from '../console-context.ts';
import type { ConsolePageDeps } from './page-deps.ts';

export const SUPPRESSIONS_PAGE_SIZE = 50;
/** The same limit as POST /v1/suppressions/import. */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const UPLOAD_CHARSETS = ['utf-8', 'shift_jis'] as const;
type UploadCharset = (typeof UPLOAD_CHARSETS)[number];
const LIMITS = { number: 32, sender: 20, note: 500, fileName: 200 } as const;

/** A refusal shown on the page beside the form it concerns: the code, the field at fault, the error's own text. */
interface Refusal {
  readonly code: string;
  readonly field?: string;
  readonly detail?: string;
}

interface AddForm {
  readonly number: string;
  readonly sender: string;
  readonly reason: string;
  readonly note: string;
}

type FormBody = Record<string, unknown> | undefined;

/** The upload each import request carries, read (up to its file part) by the CSRF check before anything else. */
const uploads = new WeakMap<FastifyRequest, Upload>();

export function suppressionsPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { suppressions } = deps.gateway;
  const csrfProtection = app.csrfProtection.bind(app);

  const showList = async (request: FastifyRequest, reply: FastifyReply, options: { cursor?: string; refusal?: Refusal; values?: Partial<AddForm>; q?: string; status?: number } = {}) => {
    const { account } = signedInOf(request);
    let refusal = options.refusal;
    let after: string | undefined;
    if (options.cursor !== undefined && options.cursor !== '') {
      try {
        after = readSuppressionCursor(options.cursor);
      } catch (error: unknown) {
        refusal ??= refusalOf(error);
      }
    }
    const [page, count] = await Promise.all([suppressions.list(account.id, SUPPRESSIONS_PAGE_SIZE, after), suppressions.count(account.id)]);
    return reply
      .code(options.status ?? (refusal === undefined ? 200 : 400))
      .type('text/html; charset=utf-8')
      .viewAsync(
        'suppressions.eta',
        viewData(request, reply, {
          count,
          rows: page.entries.map((entry) => entryRow(request, entry)),
          next: page.next === undefined ? undefined : `/console/suppressions?cursor=${suppressionCursor(page.next)}`,
          paged: after !== undefined,
          refusal,
          q: options.q ?? '',
          values: { reason: 'manual', ...options.values },
          reasons: SUPPRESSION_REASONS,
          charsets: UPLOAD_CHARSETS,
          maxRows: MAX_IMPORT_ROWS,
          canEdit: signedInOf(request).role === 'operator',
        }),
      );
  };

  app.get<{ Querystring: { q?: string; cursor?: string } }>('/suppressions', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const q = typeof request.query.q === 'string' ? request.query.q.trim() : '';
    if (q === '') return showList(request, reply, { cursor: typeof request.query.cursor === 'string' ? request.query.cursor : undefined });
    // A search goes to the number's record (its entries, or none, and its history), read in any form.
    try {
      if (q.length > LIMITS.number) throw apiError('API_INVALID_BODY', `at most ${LIMITS.number} characters`, { field: 'number' });
      return await reply.redirect(recordPath(suppressions.number(account, q)), 303);
    } catch (error: unknown) {
      if (!isShownRefusal(error)) throw error;
      return showList(request, reply, { q, refusal: { ...refusalOf(error), field: 'q' } });
    }
  });

  app.get('/suppressions/export.csv', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const csv = await exportSuppressions(suppressions, account.id);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="suppressions-${account.id}.csv"`)
      .send(csv);
  });

  app.post<{ Body: FormBody }>('/suppressions', { schema: { hide: true }, preHandler: [csrfProtection, requireOperator] }, async (request, reply) => {
    const signedIn = signedInOf(request);
    const form = addFormOf(request.body);
    try {
      const reason = checkAddForm(form);
      const { entry } = await suppressions.suppress(signedIn.account.id, {
        number: form.number,
        reason,
        source: operatorSource(signedIn),
        ...(form.sender === '' ? {} : { sender: form.sender }),
        ...(form.note === '' ? {} : { note: form.note }),
      });
      request.log.info({ account: signedIn.account.id, number: maskDigits(entry.number), reason }, 'console: number suppressed');
      return await reply.redirect(`${recordPath(entry.number)}?done=added`, 303);
    } catch (error: unknown) {
      if (!isShownRefusal(error)) throw error;
      return showList(request, reply, { refusal: refusalOf(error), values: form });
    }
  });

  app.get<{ Params: { number: string }; Querystring: { done?: string } }>('/suppressions/:number', { schema: { hide: true } }, async (request, reply) => {
    const { account, role } = signedInOf(request);
    let found: Awaited<ReturnType<typeof suppressions.lookup>>;
    try {
      found = await suppressions.lookup(account.id, request.params.number);
    } catch (error: unknown) {
      if (!isShownRefusal(error)) throw error;
      return showList(request, reply, { q: request.params.number, refusal: { ...refusalOf(error), field: 'q' } });
    }
    const done = request.query.done === 'added' || request.query.done === 'lifted' ? request.query.done : undefined;
    return reply.type('text/html; charset=utf-8').viewAsync(
      'suppressions-record.eta',
      viewData(request, reply, {
        number: found.number,
        entries: found.entries.map((entry) => ({ ...entryRow(request, entry), liftPath: liftPath(entry) })),
        history: found.history.map((event) => consentRow(request, event)),
        done,
        canEdit: role === 'operator',
      }),
    );
  });

  app.get<{ Params: { number: string }; Querystring: { sender?: string } }>(
    '/suppressions/:number/lift',
    { schema: { hide: true }, preHandler: requireOperator },
    async (request, reply) => {
      const { account } = signedInOf(request);
      const sender = typeof request.query.sender === 'string' && request.query.sender !== '' ? request.query.sender : undefined;
      const found = await suppressions.lookup(account.id, request.params.number).catch(notFoundIfUnreadable);
      const entry = found.entries.find((candidate) => candidate.sender === sender);
      if (entry === undefined) throw apiError('API_NOT_FOUND', 'no such suppression of this number', { field: 'number' });
      return reply.type('text/html; charset=utf-8').viewAsync('suppressions-lift.eta', viewData(request, reply, { entry: entryRow(request, entry), sender: sender ?? '' }));
    },
  );

  app.post<{ Params: { number: string }; Body: FormBody }>(
    '/suppressions/:number/lift',
    { schema: { hide: true }, preHandler: [csrfProtection, requireOperator] },
    async (request, reply) => {
      const signedIn = signedInOf(request);
      const sender = text(request.body, 'sender');
      const note = text(request.body, 'note');
      if (note.length > LIMITS.note) throw apiError('API_INVALID_BODY', `note: at most ${LIMITS.note} characters`, { field: 'note' });
      const lifted = await suppressions.lift(signedIn.account.id, {
        number: request.params.number,
        source: operatorSource(signedIn),
        ...(sender === '' ? {} : { sender }),
        ...(note === '' ? {} : { note }),
      }).catch(notFoundIfUnreadable);
      if (lifted === undefined) throw apiError('API_NOT_FOUND', 'no such suppression of this number', { field: 'number' });
      request.log.info({ account: signedIn.account.id, number: maskDigits(lifted.number) }, 'console: suppression lifted');
      return reply.redirect(`${recordPath(lifted.number)}?done=lifted`, 303);
    },
  );

  // The upload's own scope: multipart parsing is registered for this route only.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5 } });
    scope.post('/suppressions/import', { schema: { hide: true }, preHandler: [requireOperator, uploadCsrf(csrfProtection)] }, async (request, reply) => {
      const signedIn = signedInOf(request);
      const upload = uploads.get(request) ?? { fields: {} };
      const reason = upload.fields.reason || 'imported';
      const charset = upload.fields.charset || 'utf-8';
      if (!isReason(reason)) throw apiError('API_INVALID_BODY', `reason "${reason}" is not one of ${SUPPRESSION_REASONS.join(', ')}`, { field: 'reason' });
      if (!isCharset(charset)) throw apiError('API_INVALID_BODY', `charset "${charset}" is not one of ${UPLOAD_CHARSETS.join(', ')}`, { field: 'charset' });
      const fileName = (upload.file?.filename ?? '').slice(0, LIMITS.fileName);
      let outcome: ImportOutcome | undefined;
      let refusal: Refusal | undefined;
      try {
        const body = upload.file === undefined ? Buffer.alloc(0) : await upload.file.toBuffer();
        if (fileName === '' && body.length === 0) throw apiError('API_INVALID_CSV', 'no file was chosen', { field: 'file' });
        const source: SuppressionSource = { kind: 'import', detail: `${fileName} (${signedIn.identity.user})` };
        outcome = await importSuppressions(suppressions, signedIn.account.id, body, `text/csv; charset=${charset}`, reason, source);
        request.log.info({ account: signedIn.account.id, rows: outcome.rows, added: outcome.added, replaced: outcome.replaced, refused: outcome.refused }, 'console: suppressions imported');
      } catch (error: unknown) {
        if ((error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') refusal = { code: 'API_INVALID_CSV', field: 'file', detail: `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB` };
        else if (isCodedError(error) && error.code === 'API_INVALID_CSV') refusal = refusalOf(error);
        else throw error;
      }
      return reply
        .code(refusal === undefined ? 200 : 400)
        .type('text/html; charset=utf-8')
        .viewAsync(
          'suppressions-import.eta',
          viewData(request, reply, {
            fileName,
            outcome,
            refusal,
            errors: (outcome?.errors ?? []).map((row) => ({ ...row, message: maskDigits(row.message) })),
          }),
        );
    });
  });
}

/** An upload as read up to its file: the form's fields before the file, and the file (not yet read), if any. */
interface Upload {
  readonly fields: Readonly<Record<string, string>>;
  readonly file?: MultipartFile;
}

/**
 * The CSRF check of an upload: the token comes in the `x-csrf-token` header (htmx) or in the `_csrf` field that
 * precedes the file in the form. The parts up to the file are read (the file itself is not), then the same
 * csrfProtection as every other form runs on them.
 */
function uploadCsrf(csrfProtection: preHandlerHookHandler): preHandlerHookHandler {
  return function check(this: FastifyInstance, request, reply, done) {
    readUntilFile(request).then(
      (upload) => {
        uploads.set(request, upload);
        const token = upload.fields._csrf;
        if (token !== undefined && token !== '') request.body = { _csrf: token };
        csrfProtection.call(this, request, reply, done);
      },
      (error: unknown) => done(error as Error),
    );
  };
}

/** Reads parts up to the first file (left unread) or the end; never closes the iterator, so the file can still be read. */
async function readUntilFile(request: FastifyRequest): Promise<Upload> {
  const parts = request.parts();
  const fields: Record<string, string> = {};
  for (;;) {
    const next = await parts.next();
    if (next.done === true) return { fields };
    const part = next.value;
    if (part.type === 'file') return { fields, file: part };
    if (typeof part.value === 'string' && fields[part.fieldname] === undefined) fields[part.fieldname] = part.value.trim();
  }
}

function text(body: FormBody, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

function addFormOf(body: FormBody): AddForm {
  return { number: text(body, 'number'), sender: text(body, 'sender'), reason: text(body, 'reason') || 'manual', note: text(body, 'note') };
}

/** The form's own limits (the API's schema has the same); the service judges the number and the sender. */
function checkAddForm(form: AddForm): SuppressionReason {
  const tooLong = (['number', 'sender', 'note'] as const).find((field) => form[field].length > LIMITS[field]);
  if (tooLong !== undefined) throw apiError('API_INVALID_BODY', `${tooLong}: at most ${LIMITS[tooLong]} characters`, { field: tooLong });
  if (form.number === '') throw apiError('API_INVALID_BODY', 'number is empty', { field: 'number' });
  if (!isReason(form.reason)) throw apiError('API_INVALID_BODY', `reason "${form.reason}" is not one of ${SUPPRESSION_REASONS.join(', ')}`, { field: 'reason' });
  return form.reason;
}

function isReason(value: string): value is SuppressionReason {
  return (SUPPRESSION_REASONS as readonly string[]).includes(value);
}

function isCharset(value: string): value is UploadCharset {
  return (UPLOAD_CHARSETS as readonly string[]).includes(value);
}

/** Refusals the page explains beside its form: the router's verdict on a number or sender, and the form's own checks. */
function isShownRefusal(error: unknown): boolean {
  return isCodedError(error) && (error.code.startsWith('ROUTE_') || error.code === 'API_INVALID_BODY' || error.code === 'GW_INVALID_CURSOR');
}

function refusalOf(error: unknown): Refusal {
  const coded = error as { code?: unknown; message?: unknown; details?: { field?: unknown } };
  const code = typeof coded.code === 'string' ? coded.code : 'API_INTERNAL';
  const field = code === 'ROUTE_SENDER_INVALID' ? 'sender' : code.startsWith('ROUTE_') ? 'number' : typeof coded.details?.field === 'string' ? coded.details.field : undefined;
  return { code, ...(field === undefined ? {} : { field }), ...(typeof coded.message === 'string' ? { detail: maskDigits(coded.message) } : {}) };
}

/** A number or sender in a lift's path that does not read is no entry of the list (the links are the page's own). */
function notFoundIfUnreadable(error: unknown): never {
  if (isCodedError(error) && error.code.startsWith('ROUTE_')) throw apiError('API_NOT_FOUND', 'no such suppression of this number', { field: 'number' });
  throw error;
}

function operatorSource(signedIn: SignedIn): SuppressionSource {
  return { kind: 'operator', detail: signedIn.identity.user };
}

export function recordPath(number: string): string {
  return `/console/suppressions/${encodeURIComponent(number)}`;
}

function liftPath(entry: SuppressionEntry): string {
  return `${recordPath(entry.number)}/lift${entry.sender === undefined ? '' : `?sender=${encodeURIComponent(entry.sender)}`}`;
}

/** Who made a change, in the page's language: the kind, then what the source says about itself. */
function sourceText(request: FastifyRequest, source: SuppressionSource): string {
  const { t } = consoleOf(request);
  const kind = t(`suppressions.sources.${source.kind}`, { defaultValue: source.kind });
  const details = [source.detail, source.connector === undefined ? undefined : t('suppressions.viaConnector', { connector: source.connector })].filter((d) => d !== undefined && d !== '');
  return details.length === 0 ? kind : `${kind} (${details.join(', ')})`;
}

function entryRow(request: FastifyRequest, entry: SuppressionEntry): Record<string, string | undefined> {
  const { t, fmt } = consoleOf(request);
  return {
    number: entry.number,
    href: recordPath(entry.number),
    sender: entry.sender,
    scope: entry.sender === undefined ? t('suppressions.scopeAccount') : t('suppressions.scopeSender', { sender: entry.sender }),
    reason: t(`suppressions.reasons.${entry.reason}`, { defaultValue: entry.reason }),
    source: sourceText(request, entry.source),
    createdAt: fmt.time(entry.createdAt),
    note: entry.note,
  };
}

function consentRow(request: FastifyRequest, event: ConsentEvent): Record<string, string | undefined> {
  const { t, fmt } = consoleOf(request);
  return {
    action: event.action,
    actionText: t(`suppressions.actions.${event.action}`),
    at: fmt.time(event.at),
    scope: event.sender === undefined ? t('suppressions.scopeAccount') : t('suppressions.scopeSender', { sender: event.sender }),
    reason: event.reason === undefined ? undefined : t(`suppressions.reasons.${event.reason}`, { defaultValue: event.reason }),
    source: sourceText(request, event.source),
    note: event.note,
  };
}
