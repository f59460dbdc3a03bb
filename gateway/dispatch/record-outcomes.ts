/**
 * What the driver said about each part, as the store records it: a submitted part with its carrier id (and the
 * correlation its receipts will be matched by), an unknown or failed part with its error and the carrier's own
 * value, and the parts a retry may still send. The retry decision itself is the retry policy's.
 */
import type { PartCarrierValue, PartOutcome } from '../../drivers/transport/index.ts';
import type { PartCorrelation, PartUpdate, TimelineEntry } from '../messages/message-record.ts';

export interface RecordedOutcomes {
  readonly parts: PartUpdate[];
  readonly timeline: TimelineEntry[];
  /** Parts that failed with a retriable error: their status waits for the retry decision. */
  readonly retriable: number[];
  readonly correlations: PartCorrelation[];
}

export interface OutcomeContext {
  readonly connectorId: string;
  /** When the outcomes were recorded (gateway clock). */
  readonly at: number;
  /** How long a carrier id stays correlatable with its part. */
  readonly correlationTtlMs: number;
}

export function recordOutcomes(outcomes: readonly PartOutcome[], context: OutcomeContext): RecordedOutcomes {
  const { connectorId, correlationTtlMs, at: time } = context;
  const recorded: RecordedOutcomes = { parts: [], timeline: [], retriable: [], correlations: [] };
  const { parts, timeline } = recorded;
  for (const outcome of outcomes) {
    if (outcome.status === 'submitted') {
      parts.push({ seq: outcome.seq, status: 'submitted', connectorId, carrierMessageId: outcome.carrierMessageId, submittedAt: time });
      timeline.push({ at: time, event: 'part:submitted', seq: outcome.seq, connectorId, detail: outcome.carrierMessageId });
      recorded.correlations.push({ connectorId, carrierMessageId: outcome.carrierMessageId, seq: outcome.seq, submittedAt: time, ttlMs: correlationTtlMs });
    } else if (outcome.status === 'unknown') {
      parts.push({ seq: outcome.seq, status: 'unknown', connectorId, error: { code: outcome.error.code, message: outcome.error.message } });
      timeline.push({ at: time, event: 'part:unknown', seq: outcome.seq, connectorId, detail: outcome.error.code });
    } else if (outcome.error.retriable) {
      recorded.retriable.push(outcome.seq);
      parts.push({ seq: outcome.seq, connectorId, error: { code: outcome.error.code, message: outcome.error.message }, ...rawOf(outcome.raw) });
    } else {
      parts.push({ seq: outcome.seq, status: 'failed', connectorId, error: { code: outcome.error.code, message: outcome.error.message }, ...rawOf(outcome.raw) });
      timeline.push({ at: time, event: 'part:failed', seq: outcome.seq, connectorId, detail: outcome.error.code });
    }
  }
  return recorded;
}

/** The carrier's own value, as the driver typed it, kept beside the part's state. */
function rawOf(value: PartCarrierValue | undefined): Pick<PartUpdate, 'raw'> {
  return value === undefined || Object.keys(value).length === 0 ? {} : { raw: { ...value } };
}
