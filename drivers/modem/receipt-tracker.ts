/**
 * Status reports name the part by TP-MR (3GPP TS 23.040 clause 9.2.3.6), one octet the modem assigns and
 * reuses every 256 messages. The tracker keeps, per modem, the last part sent under each TP-MR for a while
 * (`ttlMs`), and checks the report's recipient against it so a late report after the counter wrapped is not
 * pinned on the wrong part. Pure: the caller gives `now`. Bounded: at most 256 entries, one per TP-MR.
 */
export interface TrackedPart {
  readonly carrierMessageId: string;
  /** Destination as sent (E.164 with '+'), compared with TP-RA of the report. */
  readonly to: string;
  readonly submittedAt: number;
}

export type TrackResult =
  | { readonly matched: true; readonly part: TrackedPart }
  | { readonly matched: false; readonly reason: 'unknown-reference' | 'expired' | 'recipient-mismatch' };

/** Compares numbers by their last 9 digits: a status report may give the recipient in national form. */
function sameNumber(a: string, b: string): boolean {
  const digits = (s: string): string => s.replace(/\D/g, '').slice(-9);
  const da = digits(a);
  return da !== '' ? da === digits(b) : a.trim().toLowerCase() === b.trim().toLowerCase();
}

export class ReceiptTracker {
  private readonly byReference = new Map<number, TrackedPart>();

  constructor(private readonly ttlMs: number) {}

  record(reference: number, part: TrackedPart): void {
    this.byReference.set(reference & 0xff, part);
  }

  /** Finds the part of a report; a final report releases the entry, an intermediate one keeps it. */
  match(reference: number, recipient: string, final: boolean, now: number): TrackResult {
    const part = this.byReference.get(reference & 0xff);
    if (part === undefined) return { matched: false, reason: 'unknown-reference' };
    if (now - part.submittedAt > this.ttlMs) {
      this.byReference.delete(reference & 0xff);
      return { matched: false, reason: 'expired' };
    }
    if (!sameNumber(part.to, recipient)) return { matched: false, reason: 'recipient-mismatch' };
    if (final) this.byReference.delete(reference & 0xff);
    return { matched: true, part };
  }

  get size(): number {
    return this.byReference.size;
  }
}
