/**
 * The usage counter: messages and segments per account and day, from the events. A message counts once, at its
 * first event that says it reached the carrier; the counter itself drops repeats, so replays are safe.
 */
import type { GatewayEvent } from '../events/gateway-event.ts';
import type { MessageStatus } from '../messages/message-status.ts';
import type { EventHandler, Heartbeat } from '../ports/event-transport.ts';

const BILLED: ReadonlySet<MessageStatus> = new Set(['submitted', 'delivered', 'undelivered']);

export interface UsageSink {
  count(accountId: string, messageId: string, segments: number, at: Date): Promise<boolean>;
}

export class UsageConsumer implements EventHandler {
  readonly name = 'usage';
  readonly types = ['message.status'] as const satisfies readonly GatewayEvent['type'][];

  constructor(private readonly sink: UsageSink) {}

  wants = (type: GatewayEvent['type'], status?: string): boolean => type === 'message.status' && BILLED.has(status as MessageStatus);

  async handle(events: readonly GatewayEvent[], heartbeat?: Heartbeat): Promise<void> {
    await this.count(events);
    await heartbeat?.();
  }

  /**
   * Counts a batch's billed events all at once (one round trip with pipelining rather than one per event: a
   * consumer that counts one by one falls behind the event stream under load). Order does not matter, since
   * each message counts once whatever comes first. Resolves to the messages newly counted.
   */
  async count(events: readonly GatewayEvent[]): Promise<number> {
    const billed: Promise<boolean>[] = [];
    for (const event of events) {
      if (event.type !== 'message.status' || !BILLED.has(event.status)) continue;
      billed.push(this.sink.count(event.accountId, event.messageId, event.segments, new Date(event.at)));
    }
    return (await Promise.all(billed)).filter(Boolean).length;
  }
}
