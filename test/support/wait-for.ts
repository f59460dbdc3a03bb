/**
 * The one polling wait of the test suite: calls `probe` until it gives a value that is neither `undefined` nor
 * `false` (so boolean checks and value probes both fit), or fails naming `what` after `ms`. Only for waits on real
 * I/O (sockets, ptys, Redis, Kafka); time-driven logic takes an injected clock instead.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  ms = 15_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
