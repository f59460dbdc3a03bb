/**
 * The account's inbound messages (受信メッセージ), newest first, as GET /v1/inbound lists them: the messages
 * service's recent inbound store, optionally from a local day on. What keyword handling did with a message
 * (an opt-out, a reply) is not recorded on the inbound itself: the suppression list and the messages list show it.
 */
import type { FastifyInstance } from 'fastify';
import { UsageCalendar } from '../../../gateway/index.ts';
import { consoleOf, signedInOf, viewData } from '../console-context.ts';
import { dayStart, isLocalDay } from './local-day.ts';
import type { ConsolePageDeps } from './page-deps.ts';

/** The page sizes offered; the API's own limit is 1 to 1000. */
export const INBOUND_LIMITS = [50, 100, 500] as const;

interface InboundSearch {
  readonly since?: string;
  readonly limit?: string;
}

export function inboundPage(app: FastifyInstance, deps: ConsolePageDeps): void {
  const { gateway } = deps;
  const schema = { type: 'object', properties: { since: { type: 'string', maxLength: 10 }, limit: { type: 'string', maxLength: 4 } } } as const;

  app.get<{ Querystring: InboundSearch }>('/inbound', { schema: { hide: true, querystring: schema } }, async (request, reply) => {
    const { account } = signedInOf(request);
    const since = request.query.since?.trim() ?? '';
    const limit = INBOUND_LIMITS.find((n) => String(n) === request.query.limit) ?? INBOUND_LIMITS[0];
    const validDay = isLocalDay(since);
    const invalid = since !== '' && !validDay;
    const from = validDay ? dayStart(new UsageCalendar(consoleOf(request).fmt.timeZone), since) : undefined;
    const found = invalid ? [] : await gateway.messages.inbound(account.id, limit, from);
    // A binary message has no text: the page says how many octets it carried.
    const items = found.map((m) => ({ ...m, ...(m.binary === undefined ? {} : { octets: Buffer.from(m.binary, 'base64').length }) }));
    void reply.code(invalid ? 400 : 200);
    return reply.type('text/html; charset=utf-8').viewAsync('inbound.eta', viewData(request, reply, { items, since, limit, limits: INBOUND_LIMITS, invalid }));
  });
}
