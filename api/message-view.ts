import { messagePrice, notBeforeOf, partViews, type MessageRecord } from '../gateway/index.ts';

/** The API's view of a stored message: ISO times, connector and SMSC id per part, the whole timeline. */
export function messageView(record: MessageRecord): Record<string, unknown> {
  const e = record.envelope;
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
  const price = messagePrice(record);
  return {
    id: e.id,
    status: record.status,
    to: e.to,
    from: e.from,
    carrier: e.carrier,
    carrierSource: e.carrierSource,
    route: e.routeId,
    rule: e.ruleName,
    tag: e.tag,
    clientRef: e.clientRef,
    encoding: e.encoded.encoding,
    segments: record.parts.length,
    price: price?.price,
    currency: price?.currency,
    createdAt: iso(e.createdAt),
    scheduleAt: iso(e.scheduleAt),
    expiresAt: iso(e.expiresAt),
    notBefore: iso(notBeforeOf(record.timeline)),
    parts: partViews(record),
    timeline: record.timeline.map((t) => ({
      at: iso(t.at),
      event: t.event,
      seq: t.seq,
      connector: t.connectorId,
      detail: t.detail,
      until: iso(t.until),
    })),
  };
}
