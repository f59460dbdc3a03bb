/**
 * Numbers in logs: long digit runs (phone numbers in query strings, error texts) keep their first six digits and
 * lose the rest, so a log line can be tied to a country and carrier but never to a subscriber.
 */
export function maskDigits(text: string): string {
  return text.replace(/(\+?\d{6})(\d+)/g, (_all, head: string, tail: string) => head + '*'.repeat(tail.length));
}
