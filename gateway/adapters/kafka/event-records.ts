/**
 * Records of the events and inbound topics read back into events. Part events are most of the events topic and
 * few handlers want them: the gateway writes `type` first, so they are recognised without parsing. Anything else
 * is parsed and checked; a record that is no version-1 event is skipped.
 */
import { eventStatus, type GatewayEvent } from '../../events/gateway-event.ts';
import type { EventHandler } from '../../ports/event-transport.ts';

const EVENT_TYPES: ReadonlySet<string> = new Set<GatewayEvent['type']>(['message.status', 'message.part', 'message.inbound', 'suppression.changed', 'verification.status', 'link.clicked', 'campaign.status']);

const PART_EVENT_PREFIX = '{"type":"message.part"';

export function isPartEvent(value: string | undefined): boolean {
  return value?.startsWith(PART_EVENT_PREFIX) === true;
}

/** A version-1 event record, or undefined. */
export function parseEvent(value: string | undefined): GatewayEvent | undefined {
  if (value === undefined) return undefined;
  try {
    const event = JSON.parse(value) as Partial<GatewayEvent> | null;
    if (event === null || typeof event !== 'object' || event.version !== 1 || typeof event.id !== 'string') return undefined;
    if (event.type === undefined || !EVENT_TYPES.has(event.type)) return undefined;
    return event as GatewayEvent;
  } catch {
    return undefined;
  }
}

/** The events of a batch of records that `handler` reads and wants. */
export function eventsFor(handler: Pick<EventHandler, 'types' | 'wants'>, values: readonly (string | undefined)[]): GatewayEvent[] {
  const skipParts = !handler.types.includes('message.part') || handler.wants?.('message.part') === false;
  const events: GatewayEvent[] = [];
  for (const value of values) {
    if (skipParts && isPartEvent(value)) continue;
    const event = parseEvent(value);
    if (event === undefined || !handler.types.includes(event.type)) continue;
    if (handler.wants !== undefined && !handler.wants(event.type, eventStatus(event))) continue;
    events.push(event);
  }
  return events;
}
