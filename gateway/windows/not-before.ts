import type { TimelineEntry } from '../messages/message-record.ts';

/** When a message may go at the earliest: the opening its latest send-window deferral waits for (epoch ms). */
export function notBeforeOf(timeline: readonly TimelineEntry[]): number | undefined {
  for (let index = timeline.length - 1; index >= 0; index -= 1) {
    const entry = timeline[index];
    if (entry?.event === 'deferred' && entry.until !== undefined) return entry.until;
  }
  return undefined;
}
