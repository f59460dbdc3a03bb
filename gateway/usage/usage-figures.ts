/**
 * What a message adds to its account's usage, from its status events (pure). A message is counted twice over,
 * each once:
 * - billed (`<id>:billed`), at its first event that shows it reached the carrier: `submitted`, `delivered` or
 *   `undelivered`, or any final status once some part has the carrier's message id. It adds 1 message, its
 *   segments (the parts as encoded) and its price, on the local day of that event, in total and under its
 *   destination carrier and the connector that carried it (its first carried part's: a message whose parts
 *   failed over between connectors is rare, and is not split).
 * - final (`<id>:final`), at its final status, whatever it is (failed and rejected messages too): under that
 *   status, on the local day the message became final.
 * Counter names are `<dimension>|<measure>`: dimension `` (all), `carrier=X`, `connector=X`, `status=X`;
 * measure `m` (messages), `s` (segments), `p:<currency>` (price in millionths; `XXX` when the route names none).
 */
import type { MessageStatusEvent } from '../events/gateway-event.ts';
import { isFinalMessageStatus, type MessageStatus } from '../messages/message-status.ts';
import type { UsageCount } from '../ports/usage-store.ts';
import type { UsageCalendar } from './usage-calendar.ts';

const ALWAYS_BILLED: ReadonlySet<MessageStatus> = new Set(['submitted', 'delivered', 'undelivered']);
/** ISO 4217's code for "no currency". */
export const NO_CURRENCY = 'XXX';
export const PRICE_SCALE = 1_000_000;

export type UsageDimension = 'carrier' | 'connector' | 'status';

/** Whether events of this status can count (the memory transport builds no event nobody wants). */
export function countsUsage(status: MessageStatus): boolean {
  return status === 'submitted' || isFinalMessageStatus(status);
}

export function usageCounts(event: MessageStatusEvent, calendar: UsageCalendar): UsageCount[] {
  const day = calendar.day(Date.parse(event.at));
  const counts: UsageCount[] = [];
  const carried = event.parts.find((part) => part.smscMessageId !== undefined);
  if (ALWAYS_BILLED.has(event.status) || (isFinalMessageStatus(event.status) && carried !== undefined)) {
    const connector = carried?.connector ?? event.parts.find((part) => part.connector !== undefined)?.connector ?? 'none';
    const dimensions = ['', `carrier=${event.carrier ?? 'unknown'}`, `connector=${connector}`];
    counts.push({ accountId: event.accountId, once: `${event.messageId}:billed`, day, add: figures(dimensions, event) });
  }
  if (isFinalMessageStatus(event.status)) {
    counts.push({ accountId: event.accountId, once: `${event.messageId}:final`, day, add: figures([`status=${event.status}`], event) });
  }
  return counts;
}

function figures(dimensions: readonly string[], event: MessageStatusEvent): Record<string, number> {
  const add: Record<string, number> = {};
  for (const dimension of dimensions) {
    add[`${dimension}|m`] = 1;
    add[`${dimension}|s`] = event.segments;
    if (event.price !== undefined) add[`${dimension}|p:${event.currency ?? NO_CURRENCY}`] = Math.round(event.price * PRICE_SCALE);
  }
  return add;
}

/** A counter name read back: its dimension (undefined for the totals), value and measure. */
export function readFigureName(name: string): { dimension?: UsageDimension; value?: string; measure: string } | undefined {
  const bar = name.lastIndexOf('|');
  if (bar < 0) return undefined;
  const head = name.slice(0, bar);
  const measure = name.slice(bar + 1);
  if (head === '') return { measure };
  const equals = head.indexOf('=');
  const dimension = head.slice(0, equals);
  if (dimension !== 'carrier' && dimension !== 'connector' && dimension !== 'status') return undefined;
  return { dimension, value: head.slice(equals + 1), measure };
}
