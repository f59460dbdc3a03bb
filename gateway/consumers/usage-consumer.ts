/**
 * The usage counter: messages and segments per account and day, from the events topic. A message counts once,
 * at its first event that says it reached the carrier; the counter itself drops repeats, so replays are safe.
 */
import type { MessageStatus } from '../messages/message-status.ts';
import type { IncomingRecord } from './status-updater.ts';
import { parseEvent } from './webhook-feeder.ts';

const BILLED: ReadonlySet<MessageStatus> = new Set(['submitted', 'delivered', 'undelivered']);

export interface UsageSink {
  count(accountId: string, messageId: string, segments: number, at: Date): Promise<boolean>;
}

export class UsageConsumer {
  constructor(private readonly sink: UsageSink) {}

  async handle(records: readonly IncomingRecord[]): Promise<number> {
    let counted = 0;
    for (const record of records) {
      const event = parseEvent(record.value);
      if (event?.type !== 'message.status' || !BILLED.has(event.status)) continue;
      if (await this.sink.count(event.accountId, event.messageId, event.segments, new Date(event.at))) counted += 1;
    }
    return counted;
  }
}
