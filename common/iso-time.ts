/**
 * `new Date(ms).toISOString()`, for the gateway's timestamps. V8 formats a date through its generic string
 * builder, about 1 µs a call, and a message's events carry about seven (each status event's `at`, its parts'
 * times, the accept answer's `createdAt`), most of them in the same second as the one before. So the last
 * second's text up to its milliseconds is kept and the milliseconds appended; any other second is formatted by
 * V8 itself, which also covers the extended years (`+275760-...`) the short form cannot hold.
 */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

export function isoTime(ms: number): string {
  // A fraction of a millisecond (Date drops it), NaN or an infinity: V8's own answer, or its RangeError.
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const text = new Date(ms).toISOString();
    // "YYYY-MM-DDTHH:mm:ss.sssZ"; a six-digit year is longer and is not kept.
    if (text.length !== 24) return text;
    cachedSecond = second;
    cachedPrefix = text.slice(0, 20);
    return text;
  }
  const millis = ms - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
