/**
 * The usage counter: messages and segments per account and day, from the events topic. A message counts once,
 * at its first event that says it reached the carrier; the counter itself drops repeats, so replays are safe.
 */
import type { MessageStatus } from '../messages/message-status.ts';
import type { IncomingRecord } from './status-updater.ts';
import { isPartEvent, parseEvent } from './webhook-feeder.ts';

const BILLED: ReadonlySet<MessageStatus> = new Set(['submitted', 'delivered', 'undelivered']);

export interface UsageSink {
  count(accountId: string, messageId: string, segments: number, at: Date): Promise<boolean>;
}

export class UsageConsumer {
  constructor(private readonly sink: UsageSink) {}

  /**
   * Counts a batch's billed events all at once (one round trip with pipelining rather than one per event: a
   * consumer that counts one by one falls behind the event stream under load). Order does not matter, since
   * each message counts once whatever comes first.
   */
  async handle(records: readonly IncomingRecord[], heartbeat?: () => Promise<void>): Promise<number> {
    const billed: Promise<boolean>[] = [];
    for (const record of records) {
      if (isPartEvent(record.value)) continue;
      const event = parseEvent(record.value);
      if (event?.type !== 'message.status' || !BILLED.has(event.status)) continue;
      billed.push(this.sink.count(event.accountId, event.messageId, event.segments, new Date(event.at)));
    }
    const counted = (await Promise.all(billed)).filter(Boolean).length;
    await heartbeat?.();
    return counted;
  }
}
