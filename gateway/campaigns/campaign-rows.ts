/**
 * A campaign's rows, validated one by one before anything is sent: the runner sends the good ones, the preview
 * counts them, and both read them through `readCampaignRows`, an async iterator that never holds all rows.
 * Each row gets, in this order, the first refusal that applies:
 * CAMPAIGN_INVALID_ROW (field count), CAMPAIGN_INVALID_NUMBER (the phone cell, normalized as a submit is, with the
 * account's defaultCountry), CAMPAIGN_MISSING_VARIABLE, CAMPAIGN_INVALID_TEXT, CAMPAIGN_NOT_ROUTABLE,
 * CAMPAIGN_DUPLICATE_NUMBER, CAMPAIGN_RECIPIENT_SUPPRESSED, CAMPAIGN_TOO_MANY_PARTS.
 * Routing, the suppression check and the encoding are the accept path's: the router's decision (MNP-aware
 * carrier, the route's first connector and its price), the same suppression check (the account-wide entry and
 * every sender the message could go out as; exempt tags pass), and the codec with the carrier profile's
 * maxParts / refSize capped by the account's maxParts. So a row the preview counts as N segments is accepted as N.
 * Rows are routed in batches through `RouterHandle.decideMany` (one pipelined porting read per batch); like every
 * bulk decision it does not ask the HLR hook.
 * Duplicates are judged on the E.164 number among the rows that passed so far (the first good row keeps it): one
 * set of numbers, about 100 bytes each, so 100,000 rows hold some 10 MB; nothing else grows with the file.
 */
import { encodeText, type EncodedMessage } from '../../drivers/codec/index.ts';
import { isCodedError } from '../../common/index.ts';
import { parseOriginator, type RouteDecision, type RouteRequest, type RouterHandle } from '../../router/index.ts';
import type { AccountConfig } from '../accounts/account-registry.ts';
import { routedRecipient, type RoutedRecipient } from '../accept/routed-recipient.ts';
import { checkText } from '../accept/text-policy.ts';
import { campaignError, CAMPAIGN_ERRORS, type CampaignRowErrorCode } from './campaign-errors.ts';
import { CampaignTemplate, LINK_VARIABLE, linkPlaceholder, type LinkShape } from './campaign-template.ts';
import { readCsvRecords, type SourceRow } from './csv-records.ts';
import { csvEncodingOf, type CsvEncoding } from './csv-text.ts';

export type DuplicatePolicy = 'refuse' | 'first';
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['refuse', 'first'];

/** Where the rows come from: a CSV file's octets (streamed), or rows given as objects (JSON). */
export type CampaignSource =
  | { readonly kind: 'csv'; readonly octets: AsyncIterable<Uint8Array> | Iterable<Uint8Array>; readonly encoding?: string }
  | { readonly kind: 'rows'; readonly rows: Iterable<Readonly<Record<string, string | number>>> };

export interface CampaignRowsOptions {
  readonly account: AccountConfig;
  readonly template: string;
  /** The column holding the number; default the first column named phone, to, number, tel, mobile, 電話番号, 携帯番号 or 携帯電話番号. */
  readonly phoneColumn?: string;
  /** `refuse` (default): a later row with a number already taken is an error row; `first`: it is skipped, and counted. */
  readonly duplicates?: DuplicatePolicy;
  readonly from?: string;
  readonly tag?: string;
  /** When the rows are routed (time rules, porting dates). */
  readonly at: number;
  /** Most data rows (default 100,000). */
  readonly maxRows?: number;
  /** The short link's shape, needed when the template has {{link}}. */
  readonly link?: LinkShape;
}

export interface CampaignRowsDeps {
  readonly router: RouterHandle;
  /** The accept path's suppression check: resolves when the recipient may be messaged, throws GW_RECIPIENT_SUPPRESSED. */
  readonly screen: (recipient: RoutedRecipient) => Promise<void>;
  readonly isUp?: (connectorId: string) => boolean;
}

export interface CampaignRowOk {
  readonly ok: true;
  readonly line: number;
  /** E.164. */
  readonly to: string;
  readonly carrier: string;
  readonly carrierSource: string;
  /** The route's first connector, whose price counts. */
  readonly connector: string;
  /** The rendered text; a {{link}} in it is the placeholder of the link's length (see campaign-template.ts). */
  readonly text: string;
  readonly encoding: EncodedMessage['encoding'];
  readonly segments: number;
  /** segments x the connector's price per segment, when the route has prices. */
  readonly price?: number;
  readonly currency?: string;
  /** The row's cells other than the phone column (what the template may name). */
  readonly variables: Readonly<Record<string, string>>;
}

export interface CampaignRowRefused {
  readonly ok: false;
  readonly line: number;
  readonly column?: string;
  readonly code: CampaignRowErrorCode;
  readonly message: string;
  /** True for a repeated number under the `first` policy: left out quietly, not an error. */
  readonly skipped?: boolean;
}

export type CampaignRowResult = CampaignRowOk | CampaignRowRefused;

/** What is known of the input before its first row: the columns, and the CSV's encoding as read so far. */
export interface CampaignInput {
  readonly template: CampaignTemplate;
  readonly rows: AsyncIterable<CampaignRowResult>;
  /** The CSV's encoding (`utf-8` also for a file that was ASCII only); undefined for JSON rows. */
  encoding(): CsvEncoding | undefined;
}

export const MAX_CAMPAIGN_ROWS = 100_000;
const DEFAULT_PHONE_COLUMNS = ['phone', 'to', 'number', 'tel', 'mobile', '電話番号', '携帯番号', '携帯電話番号'];

/** The column a campaign takes for the number when none is named: the first whose name is a usual one. */
export function defaultPhoneColumn(names: readonly string[]): string | undefined {
  return names.find((name) => DEFAULT_PHONE_COLUMNS.includes(name.toLowerCase()));
}
const BATCH = 256;
const NUMBER_CODES: ReadonlySet<string> = new Set(['ROUTE_NUMBER_UNPARSABLE', 'ROUTE_NUMBER_NO_COUNTRY', 'ROUTE_NUMBER_TOO_SHORT', 'ROUTE_NUMBER_TOO_LONG', 'ROUTE_NUMBER_INVALID', 'ROUTE_NUMBER_NOT_MOBILE']);
const UNROUTABLE_CODES: ReadonlySet<string> = new Set(['ROUTE_NO_RULE', 'ROUTE_SENDER_NOT_ALLOWED']);

/**
 * Reads and validates a campaign's rows. Throws at once for what refuses the whole input (the template, the
 * sender, the options); the iterator throws for what refuses the file (unreadable CSV, no phone column, a variable
 * no column supplies, more than maxRows rows) and yields one result per row otherwise.
 */
export function readCampaignRows(source: CampaignSource, options: CampaignRowsOptions, deps: CampaignRowsDeps): CampaignInput {
  const template = CampaignTemplate.parse(options.template);
  const link = template.usesLink ? placeholderOf(options.link) : undefined;
  if (options.from !== undefined) {
    try {
      parseOriginator(options.from, options.account.defaultCountry);
    } catch (error: unknown) {
      throw campaignError('CAMPAIGN_INVALID_REQUEST', `from "${options.from}": ${(error as Error).message}`, { field: 'from' }, { cause: error });
    }
  }
  const columns: { phone?: string } = {};
  const pickPhone = (names: readonly string[]): string => {
    const phone = options.phoneColumn ?? defaultPhoneColumn(names);
    if (phone === undefined || !names.includes(phone)) {
      const wanted = options.phoneColumn === undefined ? `one of ${DEFAULT_PHONE_COLUMNS.join(', ')} (or name it with phoneColumn)` : `"${options.phoneColumn}"`;
      throw campaignError('CAMPAIGN_NO_PHONE_COLUMN', `the columns are ${names.join(', ')}; the phone column must be ${wanted}`, { field: 'phoneColumn' });
    }
    return phone;
  };
  if (source.kind === 'csv') {
    const reading = readCsvRecords(source.octets, {
      encoding: csvEncodingOf(source.encoding),
      header: (names) => {
        const phone = (columns.phone = pickPhone(names));
        const unknown = template.variables.find((name) => name !== LINK_VARIABLE && (name === phone || !names.includes(name)));
        if (unknown !== undefined) throw campaignError('CAMPAIGN_UNKNOWN_VARIABLE', `{{${unknown}}}: the columns are ${names.join(', ')}`, { field: 'template', variable: unknown });
      },
    });
    return {
      template,
      rows: validated(reading.rows, () => columns.phone as string, template, link, options, deps),
      encoding: () => reading.decoder.encoding ?? 'utf-8',
    };
  }
  const rows = jsonRows(source.rows);
  let phone: string | undefined;
  return {
    template,
    rows: validated(rows, (cells) => (phone ??= pickPhone(Object.keys(cells))), template, link, options, deps),
    encoding: () => undefined,
  };
}

function* jsonRows(rows: Iterable<Readonly<Record<string, string | number>>>): Generator<SourceRow> {
  let line = 0;
  for (const row of rows) {
    line += 1;
    const cells: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) cells[key] = String(value);
    yield { kind: 'row', line, cells };
  }
}

function placeholderOf(shape: LinkShape | undefined): string {
  if (shape === undefined) throw campaignError('CAMPAIGN_LINKS_NOT_CONFIGURED', 'configure the short links (base URL) or take {{link}} out of the template', { field: 'template' });
  return linkPlaceholder(shape);
}

/** A row on its way: what was read and rendered, then its route. */
interface Pending {
  readonly line: number;
  readonly phone: string;
  readonly phoneColumn: string;
  readonly variables: Record<string, string>;
  readonly refusal?: CampaignRowRefused;
  readonly text?: string;
  decision?: RouteDecision;
  suppressed?: unknown;
}

async function* validated(
  source: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  phoneOf: (cells: Readonly<Record<string, string>>) => string,
  template: CampaignTemplate,
  link: string | undefined,
  options: CampaignRowsOptions,
  deps: CampaignRowsDeps,
): AsyncGenerator<CampaignRowResult> {
  const maxRows = options.maxRows ?? MAX_CAMPAIGN_ROWS;
  const taken = new Set<string>();
  let count = 0;
  let batch: (Pending | CampaignRowRefused)[] = [];
  for await (const row of source) {
    count += 1;
    if (count > maxRows) throw campaignError('CAMPAIGN_TOO_MANY_ROWS', `more than ${maxRows} rows`, { field: 'rows', limit: maxRows, line: row.line });
    batch.push(row.kind === 'refused' ? refused(row.line, row.code, row.message) : prepare(row.line, row.cells, phoneOf(row.cells), template, link));
    if (batch.length >= BATCH) {
      yield* await settle(batch, taken, options, deps);
      batch = [];
    }
  }
  if (batch.length > 0) yield* await settle(batch, taken, options, deps);
}

function prepare(line: number, cells: Readonly<Record<string, string>>, phoneColumn: string, template: CampaignTemplate, link: string | undefined): Pending {
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(cells)) if (key !== phoneColumn) variables[key] = value;
  const phone = cells[phoneColumn] ?? '';
  const base = { line, phone, phoneColumn, variables };
  const rendered = template.render(variables, link);
  if (!rendered.ok) return { ...base, refusal: refused(line, 'CAMPAIGN_MISSING_VARIABLE', `{{${rendered.missing}}} has no value in this row`, rendered.missing) };
  try {
    checkText(rendered.text);
  } catch (error: unknown) {
    return { ...base, refusal: refused(line, 'CAMPAIGN_INVALID_TEXT', (error as Error).message, 'template') };
  }
  return { ...base, text: rendered.text };
}

/** Routes a batch (one bulk decision), screens it against the suppression list, then judges each row in order. */
async function settle(batch: readonly (Pending | CampaignRowRefused)[], taken: Set<string>, options: CampaignRowsOptions, deps: CampaignRowsDeps): Promise<CampaignRowResult[]> {
  const pending = batch.filter((item): item is Pending => !('ok' in item));
  const { account } = options;
  const from = options.from ?? account.defaultSender;
  const request = (phone: string): RouteRequest => ({
    to: phone,
    ...(from === undefined ? {} : { from }),
    account: account.id,
    ...(options.tag === undefined ? {} : { tag: options.tag }),
    ...(account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }),
    ...(account.requireMobile === undefined ? {} : { requireMobile: account.requireMobile }),
    at: new Date(options.at),
  });
  const outcomes = await deps.router.decideMany(pending.map((p) => request(p.phone)), deps.isUp === undefined ? {} : { isUp: deps.isUp });
  const results = new Map<Pending, CampaignRowRefused>();
  await Promise.all(
    pending.map(async (item, index) => {
      let outcome = outcomes[index];
      // As the accept path: with every connector down the message still goes to the route's first one and waits.
      if (outcome !== undefined && !outcome.ok && isCodedError(outcome.error) && outcome.error.code === 'ROUTE_NO_HEALTHY_CONNECTOR') {
        outcome = (await deps.router.decideMany([request(item.phone)]))[0];
      }
      if (outcome === undefined) return;
      if (!outcome.ok) {
        const refusal = routeRefusal(item, outcome.error);
        if (refusal === undefined) throw outcome.error;
        results.set(item, refusal);
        return;
      }
      item.decision = outcome.decision;
      if (item.refusal !== undefined) return;
      try {
        await deps.screen(routedRecipient(account.id, outcome.decision, options.tag));
      } catch (error: unknown) {
        if (!isCodedError(error) || error.code !== 'GW_RECIPIENT_SUPPRESSED') throw error;
        item.suppressed = error.details;
      }
    }),
  );
  return batch.map((item) => ('ok' in item ? item : judge(item, results.get(item), taken, options)));
}

function routeRefusal(item: Pending, error: unknown): CampaignRowRefused | undefined {
  if (!isCodedError(error)) return undefined;
  if (NUMBER_CODES.has(error.code)) {
    const why = item.phone.trim() === '' ? 'the phone cell is empty' : `"${item.phone}": ${error.message} (${error.code})`;
    return refused(item.line, 'CAMPAIGN_INVALID_NUMBER', why, item.phoneColumn);
  }
  if (UNROUTABLE_CODES.has(error.code)) return refused(item.line, 'CAMPAIGN_NOT_ROUTABLE', `${error.message} (${error.code})`, item.phoneColumn);
  return undefined;
}

function judge(item: Pending, routeRefused: CampaignRowRefused | undefined, taken: Set<string>, options: CampaignRowsOptions): CampaignRowResult {
  if (routeRefused?.code === 'CAMPAIGN_INVALID_NUMBER') return routeRefused;
  if (item.refusal !== undefined) return item.refusal;
  if (routeRefused !== undefined) return routeRefused;
  const decision = item.decision as RouteDecision;
  const text = item.text as string;
  const to = decision.to.e164;
  if (taken.has(to)) {
    const skipped = (options.duplicates ?? 'refuse') === 'first';
    return { ...refused(item.line, 'CAMPAIGN_DUPLICATE_NUMBER', `${to} is in an earlier row`, item.phoneColumn), ...(skipped ? { skipped } : {}) };
  }
  if (item.suppressed !== undefined) {
    const { reason, since } = item.suppressed as { reason?: unknown; since?: unknown };
    return refused(item.line, 'CAMPAIGN_RECIPIENT_SUPPRESSED', `${to} (${String(reason)} since ${String(since)})`, item.phoneColumn);
  }
  let encoded: EncodedMessage;
  try {
    encoded = encode(options.account, decision, text);
  } catch (error: unknown) {
    if (!isCodedError(error) || !error.code.startsWith('CODEC_')) throw error;
    const code = error.code === 'CODEC_TOO_MANY_PARTS' ? 'CAMPAIGN_TOO_MANY_PARTS' : 'CAMPAIGN_INVALID_TEXT';
    return refused(item.line, code, `${error.message} (carrier ${decision.carrier.carrier})`, 'template');
  }
  taken.add(to);
  const first = decision.connectors[0];
  const segments = encoded.parts.length;
  return {
    ok: true,
    line: item.line,
    to,
    carrier: decision.carrier.carrier,
    carrierSource: decision.carrier.source,
    connector: first?.id ?? '',
    text,
    encoding: encoded.encoding,
    segments,
    ...(first?.price === undefined ? {} : { price: round6(first.price * segments) }),
    ...(first?.currency === undefined ? {} : { currency: first.currency }),
    variables: item.variables,
  };
}

/** The accept path's encoding (accept-service.ts `encode`): the carrier profile's limits capped by the account's. */
function encode(account: AccountConfig, decision: RouteDecision, text: string): EncodedMessage {
  const maxParts = Math.min(account.maxParts ?? 10, decision.profile.maxParts);
  return encodeText(text, { encoding: 'auto', smart: false, shiftTables: account.shiftTables ?? false, maxParts, refSize: decision.profile.refSize });
}

function refused(line: number, code: CampaignRowErrorCode, detail: string, column?: string): CampaignRowRefused {
  return { ok: false, line, code, message: `${CAMPAIGN_ERRORS[code].message}: ${detail}`, ...(column === undefined ? {} : { column }) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
