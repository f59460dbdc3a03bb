/**
 * The load of the benches' single-POST phases: one `POST /v1/messages` per message, over a keep-alive pool, each
 * sender sending its next request when its last was answered (a closed loop). Shared by `npm run bench` and
 * `npm run bench:http-floor`, so the gateway and the bare servers get byte for byte the same requests.
 */
import type { Pool } from 'undici';

/** The API key every bench server accepts. */
export const BENCH_KEY = 'bench-key';

/** Message `n`'s request body: a Japanese mobile number and a one-part GSM 03.38 text. */
export function singleBody(n: number): string {
  return JSON.stringify({ to: `+8190${String(10_000_000 + n)}`, text: `Your order ${n} has shipped and arrives tomorrow.` });
}

/** One single POST of message `n`; its id goes to `ids` when given (the kafka mode checks their events afterwards). */
export async function postSingle(pool: Pool, n: number, ids?: string[]): Promise<void> {
  const { statusCode, body } = await pool.request({
    path: '/v1/messages',
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: singleBody(n),
  });
  if (ids === undefined) await body.dump();
  else ids.push(((await body.json()) as { id: string }).id);
  if (statusCode !== 202) throw new Error(`POST answered ${statusCode}`);
}

/** Closed loop: `concurrency` senders. Resolves to every request's latency in ms, sorted. */
export async function singles(pool: Pool, count: number, offset: number, concurrency: number, ids?: string[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await postSingle(pool, offset + i, ids);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}
