/**
 * The account's messages (送信履歴): a search by number, clientRef, status and date over the listing GET
 * /v1/messages uses (newest first, paged with its cursor), and one message's detail: every part with its status,
 * connector, SMSC message id and the carrier's raw values, the timeline of every event, link clicks, price and
 * segments. A message of another account answers 404, as the API does. The detail polls itself (htmx, every 2 s)
 * until the message is final.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCodedError, maskDigits } from '../../../common/index.ts';
import { isFinalMessageStatus, MESSAGE_STATUSES, UsageCalendar, type MessageRecord, type MessageStatus, type ShortLink } from '../../../gateway/index.ts';
import { httpStatusFor } from '../../errors.ts';
import { messageView } from '../../message-view.ts';
import { consoleOf, isFragmentRequest, signedInOf, viewData } from '../console-context.ts';
import { dayStart, isLocalDay, nextLocalDay } from './local-day.ts';
import type { ConsolePageDeps } from './page-deps.ts';

/** The search form as the query string carries it; empty fields mean no filter. */
export interface MessageSearch {
  readonly to?: string;
  readonly clientRef?: string;
  readonly status?: string;
  /** First local day, `YYYY-MM-DD` in the account's time zone (inclusive). */
  readonly from?: string;
  /** Last local day (inclusive). */
  readonly until?: string;
  readonly cursor?: string;
}

export const MESSAGES_PAGE_SIZE = 50;

const searchSchema = {
  type: 'object',
  properties: {
    to: { type: 'string', maxLength: 32 },
    clientRef: { type: 'string', maxLength: 128 },
    status: { type: 'string', maxLength: 16 },
    from: { type: 'string', maxLength: 10 },
    until: { type: 'string', maxLength: 10 },
    cursor: { type: 'string', maxLength: 512 },
  },
} as const;

function filled(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** The search's filters in the form's own terms (what the page shows back), and the field at fault, if any. */
function readSearch(query: MessageSearch): { values: Record<string, string>; invalid?: string } {
  const values: Record<string, string> = {};
  for (const key of ['to', 'clientRef', 'status', 'from', 'until'] as const) {
    const value = filled(query[key]);
    if (value !== undefined) values[key] = value;
  }
  if (values.status !== undefined && !(MESSAGE_STATUSES as readonly string[]).includes(values.status)) return { values, invalid: 'status' };
  for (const key of ['from', 'until'] as const) if (values[key] !== undefined && !isLocalDay(values[key])) return { values, invalid: key };
  if (values.from !== undefined && values.until !== undefined && values.from > values.until) return { values, invalid: 'until' };
  return { values };
}

/** A row of the list: what the table shows of a message. */
function rowOf(record: MessageRecord): Record<string, unknown> {
  const e = record.envelope;
  return {
    id: e.id,
    createdAt: e.createdAt,
    to: e.to,
    carrier: e.carrier,
    status: record.status,
    segments: record.parts.length,
    clientRef: e.clientRef,
    tag: e.tag,
    text: e.encoded.parts.map((part) => part.text).join(''),
  };
}

/** The query string of a search (and a cursor), for the next page's link. */
function searchQuery(values: Record<string, string>, cursor?: string): string {
  const params = new URLSearchParams(values);
  if (cursor !== undefined) params.set('cursor', cursor);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function messagesPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway } = deps;
  const html = (reply: FastifyReply): FastifyReply => reply.type('text/html; charset=utf-8');

  app.get<{ Querystring: MessageSearch }>('/messages', { schema: { hide: true, querystring: searchSchema } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const { values, invalid } = readSearch(request.query);
    const cursor = filled(request.query.cursor);
    const render = (page: Record<string, unknown>, status = 200) => {
      void reply.code(status);
      const data = viewData(request, reply, { values, statuses: MESSAGE_STATUSES, ...page });
      return isFragmentRequest(request) ? html(reply).viewAsync('messages-results.eta', data) : html(reply).viewAsync('messages.eta', data);
    };
    if (invalid !== undefined) return render({ invalid, rows: [] }, 400);
    const calendar = new UsageCalendar(consoleOf(request).fmt.timeZone);
    try {
      const page = await gateway.messages.list({
        accountId: account.id,
        limit: MESSAGES_PAGE_SIZE,
        ...(values.to === undefined ? {} : { to: values.to }),
        ...(values.clientRef === undefined ? {} : { clientRef: values.clientRef }),
        ...(values.status === undefined ? {} : { status: values.status as MessageStatus }),
        ...(values.from === undefined ? {} : { since: dayStart(calendar, values.from) }),
        ...(values.until === undefined ? {} : { until: dayStart(calendar, nextLocalDay(values.until)) }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return render({
        rows: page.items.map(rowOf),
        paged: cursor !== undefined,
        firstPage: `/console/messages${searchQuery(values)}`,
        ...(page.nextCursor === undefined ? {} : { nextPage: `/console/messages${searchQuery(values, page.nextCursor)}` }),
      });
    } catch (error: unknown) {
      // A number that is no number (the router's code) or a cursor this gateway did not issue: said on the page.
      if (!isCodedError(error) || error.retriable || !(error.code.startsWith('ROUTE_NUMBER_') || error.code === 'GW_INVALID_CURSOR')) throw error;
      const refusal = { code: error.code, status: httpStatusFor(error.code), details: error.details, detail: maskDigits(error.message) };
      return render({ refusal, rows: [] }, refusal.status);
    }
  });

  app.get<{ Params: { id: string } }>('/messages/:id', { schema: { hide: true } }, async (request, reply) => {
    const { account } = signedInOf(request);
    let record: MessageRecord;
    try {
      record = await gateway.messages.get(account.id, request.params.id);
    } catch (error: unknown) {
      if (!isCodedError(error) || error.code !== 'GW_NOT_FOUND') throw error;
      return html(reply.code(404)).viewAsync('message-missing.eta', viewData(request, reply, { id: request.params.id }));
    }
    const data = viewData(request, reply, {
      message: messageView(record),
      text: record.envelope.encoded.parts.map((part) => part.text).join(''),
      lane: record.envelope.lane,
      live: !isFinalMessageStatus(record.status),
      clicks: await clicksOf(request, record, account.id),
    });
    return html(reply).viewAsync(isFragmentRequest(request) ? 'message-live.eta' : 'message.eta', data);
  });

  /** The message's short links that were clicked (the timeline records each link's first click), with their counts. */
  async function clicksOf(request: FastifyRequest, record: MessageRecord, accountId: string): Promise<ShortLink[]> {
    const codes = [...new Set(record.timeline.filter((entry) => entry.event === 'clicked' && entry.detail !== undefined).map((entry) => entry.detail as string))];
    const links = await Promise.all(
      codes.map((code) =>
        gateway.shortLinks.get(code).catch((error: unknown) => {
          request.log.warn({ err: error, code }, 'console: a clicked link could not be read');
          return undefined;
        }),
      ),
    );
    return links.filter((link): link is ShortLink => link !== undefined && link.accountId === accountId);
  }
}
