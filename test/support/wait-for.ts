/** Polls `probe` until it gives a value (not undefined), or fails naming `what` after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 15_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
