/**
 * The new-campaign form of the console, read and turned into the API's own form: the console's fields (a
 * datetime-local in the account's time zone, a pacing value and unit, a send window of one or two rules, link
 * settings as radio buttons) become the text fields of `POST /v1/campaigns` (`sendAt` ISO, `pacing`,
 * `sendWindow` and `links` as JSON, ...), which `formRequest` and `formCreateOptions` then check exactly as the
 * API checks them. So the console creates what the API would create from the same choices.
 *
 * The upload is not kept between requests: the browser sends the file again with each step (columns, preview,
 * create). What the preview showed is pinned by a digest of the file's octets and of every field that decides
 * the rows (encoding, phone column, template, duplicates, sender, tag); create recomputes it from what it receives
 * and refuses when it differs, so a campaign is never created from a file or template other than the previewed.
 */
import { createHash } from 'node:crypto';
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { campaignError, type CampaignRowsRequest, type CreateCampaign } from '../../../gateway/index.ts';
import { apiError } from '../../errors.ts';
import { formCreateOptions } from '../../routes/campaign-control.ts';
import { formRequest, MAX_CAMPAIGN_FILE_BYTES } from '../../routes/campaigns.ts';

/** The form as posted: every text field (a name given twice keeps each value, e.g. the days of a rule) and the file. */
export interface PostedForm {
  readonly fields: ReadonlyMap<string, readonly string[]>;
  readonly file?: { readonly octets: Buffer; readonly filename: string };
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const START_MODES = ['now', 'schedule', 'draft'] as const;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END_TIME = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
/** The fields whose values decide the rows a preview counts (and so what create must be given again). */
const ROW_FIELDS = ['encoding', 'phoneColumn', 'template', 'duplicates', 'from', 'tag'] as const;

export const WINDOW_DAYS = WEEKDAYS;

function invalid(detail: string, field: string): Error {
  return campaignError('CAMPAIGN_INVALID_REQUEST', detail, { field });
}

/** Multipart for the console's campaign routes only (other console forms stay urlencoded). */
export async function registerUploads(scope: FastifyInstance): Promise<void> {
  await scope.register(multipart, { limits: { fileSize: MAX_CAMPAIGN_FILE_BYTES, files: 1, fields: 60, fieldSize: 64 * 1024, parts: 61 } });
}

/**
 * Reads the whole multipart form. The page's form sends its file first, so the file is held (at most 32 MiB, the
 * API's limit) until the fields after it are read; a file over the limit is API_BODY_TOO_LARGE.
 */
export async function readPostedForm(request: FastifyRequest): Promise<PostedForm> {
  if (!request.isMultipart()) throw invalid('the form must be sent as multipart/form-data', 'file');
  const fields = new Map<string, string[]>();
  let file: PostedForm['file'];
  try {
    for await (const part of request.parts() as AsyncIterable<Multipart>) {
      if (part.type === 'field') {
        const values = fields.get(part.fieldname) ?? [];
        values.push(String(part.value));
        fields.set(part.fieldname, values);
        continue;
      }
      if (part.fieldname !== 'file') throw invalid(`the CSV goes in the part named "file", not "${part.fieldname}"`, part.fieldname);
      const octets = await part.toBuffer();
      // A file input left empty still sends a part, with no name and no content.
      if (part.filename !== '' || octets.length > 0) file = { octets, filename: part.filename };
    }
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw apiError('API_BODY_TOO_LARGE', `the file is over ${MAX_CAMPAIGN_FILE_BYTES} bytes`, { limit: MAX_CAMPAIGN_FILE_BYTES });
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw invalid('the form has too many parts', 'file');
    throw error;
  }
  return { fields, ...(file === undefined ? {} : { file }) };
}

/** One text field: its last value, trimmed; '' when absent. */
export function field(form: PostedForm, name: string): string {
  const values = form.fields.get(name);
  return (values?.[values.length - 1] ?? '').trim();
}

/** The posted file, or CAMPAIGN_INVALID_REQUEST when none was chosen. */
export function postedFile(form: PostedForm): Buffer {
  if (form.file === undefined) throw invalid('choose the CSV file', 'file');
  return form.file.octets;
}

/** The fields that decide the rows, as the API's form has them (the template keeps its spaces and line breaks). */
function rowFields(form: PostedForm): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ROW_FIELDS) {
    const value = name === 'template' ? (form.fields.get('template')?.at(-1) ?? '').replaceAll('\r\n', '\n') : field(form, name);
    if (value !== '' && !(name === 'encoding' && value === 'auto')) values[name] = value;
  }
  return values;
}

/** The rows request (template, phone column, duplicates, sender, tag) and the encoding, checked as the API checks its form. */
export function rowsRequestOf(form: PostedForm): { request: CampaignRowsRequest; encoding?: string } {
  const fields = rowFields(form);
  const { request } = formRequest(fields);
  return { request, ...(fields.encoding === undefined ? {} : { encoding: fields.encoding }) };
}

/** Pins what a preview counted: the file's octets and every field that decides the rows. */
export function previewDigest(form: PostedForm): string {
  const file = createHash('sha256').update(postedFile(form)).digest('hex');
  return createHash('sha256').update(JSON.stringify([file, rowFields(form)])).digest('hex');
}

/** An instant from a `datetime-local` value read in `timeZone` (the account's); undefined when empty. */
export function zonedInstant(local: string, timeZone: string, name: string): number | undefined {
  if (local === '') return undefined;
  const match = LOCAL.exec(local);
  if (match === null) throw invalid(`${name} "${local}" is not a date and time (YYYY-MM-DDTHH:MM)`, name);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw invalid(`${name} "${local}" is not a date`, name);
  // The zone's offset at the wall time read as UTC, then again at the first guess (right across a change of offset).
  let at = wall - offsetAt(wall, timeZone);
  at = wall - offsetAt(at, timeZone);
  return at;
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(at / 1000) * 1000;
}

function rule(form: PostedForm, n: 1 | 2): { days: string[]; from: string; to: string } | undefined {
  const days = [...new Set(form.fields.get(`window${n}Days`) ?? [])];
  const from = field(form, `window${n}From`);
  const to = field(form, `window${n}To`);
  if (days.length === 0 && from === '' && to === '') return undefined;
  const unknown = days.find((day) => !(WEEKDAYS as readonly string[]).includes(day));
  if (unknown !== undefined) throw invalid(`"${unknown}" is not a day (${WEEKDAYS.join(', ')})`, `sendWindow.rules[${n - 1}].days`);
  if (days.length === 0) throw invalid('choose at least one day', `sendWindow.rules[${n - 1}].days`);
  if (!TIME.test(from)) throw invalid(`from "${from}" is not a time (HH:MM)`, `sendWindow.rules[${n - 1}].from`);
  if (!END_TIME.test(to)) throw invalid(`to "${to}" is not a time (HH:MM, or 24:00)`, `sendWindow.rules[${n - 1}].to`);
  return { days: WEEKDAYS.filter((day) => days.includes(day)), from, to };
}

/** The API form's create fields from the console's. */
export function createFieldsOf(form: PostedForm, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  const name = field(form, 'name');
  if (name !== '') out.name = name;
  const mode = field(form, 'startMode') || 'now';
  if (!(START_MODES as readonly string[]).includes(mode)) throw invalid(`startMode "${mode}" is not one of ${START_MODES.join(', ')}`, 'startMode');
  const sendAt = zonedInstant(field(form, 'sendAt'), timeZone, 'sendAt');
  if (mode === 'schedule' && sendAt === undefined) throw invalid('a scheduled campaign needs its date and time', 'sendAt');
  if (mode !== 'now' && sendAt !== undefined) out.sendAt = new Date(sendAt).toISOString();
  out.start = mode === 'draft' ? 'false' : 'true';
  if (field(form, 'windowMode') === 'own') {
    const rules = [rule(form, 1), rule(form, 2)].filter((r) => r !== undefined);
    if (rules.length === 0) throw invalid('an own send window needs at least one rule (days, from, to)', 'sendWindow.rules');
    const zone = field(form, 'windowZone');
    out.sendWindow = JSON.stringify({ rules, ...(zone === '' ? {} : { timeZone: zone }) });
  }
  const pace = field(form, 'paceValue');
  if (pace !== '') {
    const value = Number(pace);
    if (!Number.isFinite(value) || value <= 0) throw invalid(`pacing "${pace}" is not a number above 0`, 'pacing');
    out.pacing = JSON.stringify(field(form, 'paceUnit') === 'hour' ? { segmentsPerHour: value } : { segmentsPerSecond: value });
  }
  const validity = field(form, 'validityMinutes');
  if (validity !== '') {
    const minutes = Number(validity);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080) throw invalid('validity is a whole number of minutes from 1 to 10080 (7 days)', 'validitySeconds');
    out.validitySeconds = String(minutes * 60);
  }
  const linkMode = field(form, 'linkMode');
  if (linkMode === 'column' || linkMode === 'target') {
    const expiresAt = zonedInstant(field(form, 'linkExpires'), timeZone, 'links.expiresAt');
    const given = field(form, linkMode === 'column' ? 'linkColumn' : 'linkTarget');
    const links = linkMode === 'column' ? { targetColumn: given } : { target: given };
    if (given === '') throw invalid(linkMode === 'column' ? 'choose the column with each row\u2019s link target' : 'give the link target (https://...)', linkMode === 'column' ? 'links.targetColumn' : 'links.target');
    out.links = JSON.stringify({ ...links, ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }) });
  }
  return out;
}

/** The create options, checked as the API's form is. */
export function createOptionsOfForm(form: PostedForm, timeZone: string): CreateCampaign {
  return formCreateOptions(createFieldsOf(form, timeZone));
}
