/**
 * Records of the events and inbound topics read back into events. Every event group reads the whole events topic,
 * and each handler wants a few of its records: the gateway writes `type` first, so part events are recognised
 * without parsing, and so is a status event's status (its first `,"status":"` is the top-level field: inside a
 * JSON string a quote is escaped, and `parts` comes after it), so a status the handler does not want is skipped
 * unparsed. Anything else is parsed and checked; a record that is no version-1 event is skipped.
 */
import { eventStatus, type GatewayEvent } from '../../events/gateway-event.ts';
import type { EventHandler } from '../../ports/event-transport.ts';

const EVENT_TYPES: ReadonlySet<string> = new Set<GatewayEvent['type']>(['message.status', 'message.part', 'message.inbound', 'suppression.changed', 'verification.status', 'link.clicked', 'campaign.status']);

const PART_EVENT_PREFIX = '{"type":"message.part"';
const STATUS_EVENT_PREFIX = '{"type":"message.status"';
const STATUS_FIELD = ',"status":"';

/** A status record's status as the gateway writes it, read without parsing; undefined when it is not one. */
export function peekStatus(value: string | undefined): string | undefined {
  if (value?.startsWith(STATUS_EVENT_PREFIX) !== true) return undefined;
  const start = value.indexOf(STATUS_FIELD);
  if (start < 0) return undefined;
  const from = start + STATUS_FIELD.length;
  const end = value.indexOf('"', from);
  return end < 0 ? undefined : value.slice(from, end);
}

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

type EventReader = Pick<EventHandler, 'types' | 'wants'>;

/** The events of a batch of records that `handler` reads and wants. */
export function eventsFor(handler: EventReader, values: readonly (string | undefined)[]): GatewayEvent[] {
  return eventsForEach([handler], values)[0] ?? [];
}

/**
 * The events of a batch of records that each handler reads and wants, in the handlers' order. A record is parsed
 * once whoever wants it, and not at all when no handler wants it by its type and status.
 */
export function eventsForEach(handlers: readonly EventReader[], values: readonly (string | undefined)[]): GatewayEvent[][] {
  const skipsParts = handlers.map((handler) => !handler.types.includes('message.part') || handler.wants?.('message.part') === false);
  const lists = handlers.map((): GatewayEvent[] => []);
  const takers: boolean[] = handlers.map(() => true);
  for (const value of values) {
    const part = isPartEvent(value);
    const status = part ? undefined : peekStatus(value);
    let anyone = false;
    for (let i = 0; i < handlers.length; i++) {
      const wants = handlers[i]?.wants;
      takers[i] = !(part && skipsParts[i] === true) && (status === undefined || wants === undefined || wants('message.status', status));
      anyone ||= takers[i] === true;
    }
    if (!anyone) continue;
    const event = parseEvent(value);
    if (event === undefined) continue;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i];
      if (handler === undefined || takers[i] !== true || !handler.types.includes(event.type)) continue;
      if (handler.wants !== undefined && !handler.wants(event.type, eventStatus(event))) continue;
      lists[i]?.push(event);
    }
  }
  return lists;
}
