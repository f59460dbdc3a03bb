/**
 * The usage counter: runs in every mode (on the memory transport in the embedded and Redis modes, as a Kafka
 * consumer group in Kafka mode) and turns message status events into usage counts (see usage-figures.ts). Each
 * count carries a `once` key the usage store keeps, so a replayed event, or the same event seen by two processes,
 * counts nothing twice.
 */
import type { GatewayEvent } from '../events/gateway-event.ts';
import type { MessageStatus } from '../messages/message-status.ts';
import type { EventHandler, Heartbeat } from '../ports/event-transport.ts';
import type { UsageCount, UsageStore } from '../ports/usage-store.ts';
import type { UsageCalendar } from '../usage/usage-calendar.ts';
import { countsUsage, usageCounts } from '../usage/usage-figures.ts';

export class UsageConsumer implements EventHandler {
  readonly name = 'usage';
  readonly types = ['message.status'] as const satisfies readonly GatewayEvent['type'][];

  constructor(
    private readonly store: UsageStore,
    private readonly calendar: UsageCalendar,
  ) {}

  wants = (type: GatewayEvent['type'], status?: string): boolean => type === 'message.status' && status !== undefined && countsUsage(status as MessageStatus);

  async handle(events: readonly GatewayEvent[], heartbeat?: Heartbeat): Promise<void> {
    await this.count(events);
    await heartbeat?.();
  }

  /**
   * Counts a batch's events all at once (pipelined, rather than one round trip per event: a consumer that counts
   * one by one falls behind the event stream under load). Order does not matter, since each count happens once
   * whatever comes first. Resolves to the messages newly billed.
   */
  async count(events: readonly GatewayEvent[]): Promise<number> {
    const counts: UsageCount[] = [];
    for (const event of events) {
      if (event.type === 'message.status') counts.push(...usageCounts(event, this.calendar));
    }
    if (counts.length === 0) return 0;
    const counted = await this.store.countMany(counts);
    return counts.filter((count, index) => counted[index] === true && count.once.endsWith(':billed')).length;
  }
}
