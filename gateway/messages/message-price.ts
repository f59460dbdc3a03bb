/**
 * What a message costs, as carriers bill it: per segment the carrier took. A part counts once the carrier accepted
 * it (it has the carrier's message id), whatever its final state; a part never accepted (refused, never sent, or
 * an answer that never came) costs nothing. Each part is priced on the connector that carried it, at the route's
 * per-segment price for the destination carrier, so a failover shows in the price.
 */
import type { MessageSnapshot } from './message-record.ts';

export interface MessagePrice {
  readonly price: number;
  /** ISO 4217, as the route's `currency` gives it; absent when the route names none. */
  readonly currency?: string;
  /** The segments counted. */
  readonly segments: number;
}

/** Undefined when the route configures no price for the connectors the parts used. */
export function messagePrice(record: Pick<MessageSnapshot, 'envelope' | 'parts'>): MessagePrice | undefined {
  const { connectors, prices, currency } = record.envelope;
  if (prices === undefined) return undefined;
  let total = 0;
  let segments = 0;
  let priced = false;
  for (const part of record.parts) {
    if (part.carrierMessageId === undefined || part.connectorId === undefined) continue;
    const price = prices[connectors.indexOf(part.connectorId)];
    if (price === undefined || price === null) continue;
    total += price;
    segments += 1;
    priced = true;
  }
  if (!priced && record.parts.some((part) => part.carrierMessageId !== undefined)) return undefined;
  // Prices are decimal per segment (3.2 yen); sums of binary floats are rounded back to 6 decimal places.
  return { price: Math.round(total * 1e6) / 1e6, segments, ...(currency === undefined ? {} : { currency }) };
}
