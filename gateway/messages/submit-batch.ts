/**
 * A batch's items submitted one by one, 64 at a time, each result in its item's place. Every BATCH_TICK_ITEMS
 * items the batch yields to the event loop (setImmediate), so that other requests (health checks among them) are
 * served while a large batch goes in: with the memory store an accept never waits on I/O, and without the yield a
 * 10,000-item batch would hold the loop for its whole duration.
 */
import type { AcceptedMessage, SubmitRequest } from '../accept/accept-request.ts';

/** One batch item's outcome; a refused item carries what its submit threw (a coded error; anything else is a bug). */
export type BatchItemResult = { readonly ok: true; readonly message: AcceptedMessage } | { readonly ok: false; readonly error: unknown };

/** Items a batch submits between two yields to the event loop. */
const BATCH_TICK_ITEMS = 256;
const CONCURRENCY = 64;

export async function submitEach(
  requests: readonly SubmitRequest[],
  submit: (request: SubmitRequest, index: number) => Promise<AcceptedMessage>,
): Promise<BatchItemResult[]> {
  const results = new Array<BatchItemResult>(requests.length);
  let next = 0;
  let sinceYield = 0;
  // Every worker waits on the same pause: the loop only moves on once no worker has work in the microtask queue.
  let pause: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      if (sinceYield >= BATCH_TICK_ITEMS) {
        sinceYield = 0;
        pause = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          pause = undefined;
        });
      }
      if (pause !== undefined) {
        await pause;
        continue;
      }
      sinceYield += 1;
      const index = next;
      next += 1;
      try {
        results[index] = { ok: true, message: await submit(requests[index] as SubmitRequest, index) };
      } catch (error: unknown) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));
  return results;
}
