import type { Gateway } from '../../gateway/index.ts';
import type { MessageRecord } from '../../gateway/messages/message-record.ts';
import { isFinalMessageStatus } from '../../gateway/messages/message-status.ts';
import { waitFor } from '../support/wait-for.ts';

/** The records of `ids` (account `demo`) once every one has a final status. */
export async function allFinal(gw: Gateway, ids: readonly string[], ms = 20_000): Promise<MessageRecord[]> {
  return waitFor(
    async () => {
      const records = await Promise.all(ids.map((id) => gw.messages.get('demo', id)));
      return records.every((r) => isFinalMessageStatus(r.status)) ? records : undefined;
    },
    `${ids.length} messages final`,
    ms,
    50,
  );
}

/** The i-th test number, a Japanese mobile in national format (090 + 8 digits). */
export const testNumber = (i: number): string => `090${String(10_000_000 + i).padStart(8, '0')}`;
