/**
 * The counters an SMPP connector reports in `DriverHealth.counters`, camelCase as every driver's are. A submit
 * answered with an error status is also counted under `submitStatus` followed by the status name as SMPP spells it
 * (`submitStatusESME_RTHROTTLED`, `submitStatus0x00000401` for a vendor value): the name is a wire constant and is
 * not re-cased.
 */
const ALWAYS = [
  'submitOk',
  'submitFailed',
  'submitUnknown',
  'submitResent',
  'throttled',
  'receipts',
  'receiptsUnmatched',
  'inbound',
  'inboundParts',
  'inboundIncomplete',
  'sinkFailures',
  'bindsUp',
  'bindAttemptsFailed',
  'reconnects',
  'queries',
  'queriesFailed',
] as const;

/** Counted only once they happen. */
type Occasional = 'submitEmptyId' | 'inboundMalformed' | 'listenerErrors';

export type CounterName = (typeof ALWAYS)[number] | Occasional;

export class ConnectorCounters {
  private readonly values: Record<string, number> = Object.fromEntries(ALWAYS.map((name) => [name, 0]));

  count(name: CounterName): void {
    this.values[name] = (this.values[name] ?? 0) + 1;
  }

  /** A submit_sm_resp or generic_nack with this status name (see above). */
  submitStatus(statusName: string): void {
    const key = `submitStatus${statusName}`;
    this.values[key] = (this.values[key] ?? 0) + 1;
  }

  /** A bind that was up went down. */
  bindDown(): void {
    this.values.bindsUp = Math.max(0, (this.values.bindsUp ?? 0) - 1);
  }

  snapshot(): Record<string, number> {
    return { ...this.values };
  }
}
