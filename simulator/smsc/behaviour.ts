/**
 * What the simulated SMSC does: one plain object, selectable by scenario name at start and patched at run time.
 * Everything a test can vary is here; the server reads it on every PDU, so a change applies to the next PDU.
 */
import type { ReceiptStat, StatusName } from '../../drivers/smpp-protocol/index.ts';

/** Time between reading a submit_sm and answering it. */
export type LatencySpec =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Normal-ish (Box-Muller), clamped at 0. */
  | { readonly kind: 'normal'; readonly meanMs: number; readonly stdDevMs: number };

export interface ReceiptOutcome {
  readonly stat: ReceiptStat;
  /** Relative weight among the outcomes that apply. */
  readonly weight: number;
  /** The `err:` value (0..999) and the network_error_code TLV's error code. */
  readonly err?: number;
  /** Applies only to destinations starting with this prefix ('+' ignored); prefixed outcomes win over the rest. */
  readonly prefix?: string;
}

export type IdFormat = 'hex' | 'decimal';

export interface ReceiptBehaviour {
  readonly enabled: boolean;
  /** From submit_sm_resp to the final receipt. */
  readonly delayMs: number;
  readonly outcomes: readonly ReceiptOutcome[];
  /** Send an ENROUTE notification (esm_class 0x20) before the final receipt when registered_delivery asks (0x10). */
  readonly intermediate: boolean;
  /** How the id is written in the receipt text: as submit_sm_resp gave it, or re-based (a real-world quirk). */
  readonly textIdFormat: 'same' | IdFormat;
  /** Left-pad the id in the receipt text with zeros to this width (0: no padding). */
  readonly textIdWidth: number;
}

export interface MessageIdBehaviour {
  readonly format: IdFormat;
  /** Left-pad with zeros to this width (0: no padding). */
  readonly width: number;
  /**
   * Answer ESME_ROK with an empty message_id (a broken SMSC): the part is still accepted, recorded, delivered and
   * receipted under its real id, which the ESME never learns.
   */
  readonly empty: boolean;
}

/**
 * How query_sm is answered: `answer` with the recorded part's state (ESME_RQUERYFAIL for an id it does not know),
 * or refused as by an SMSC without query_sm: `generic_nack` (ESME_RINVCMDID) or a query_sm_resp with ESME_RINVCMDID.
 */
export type QuerySmBehaviour = 'answer' | 'generic_nack' | 'ESME_RINVCMDID';

export interface SubmitErrorRule {
  /** Destination prefix; '+' is ignored on both sides so '+8170' matches destination_addr '8170...'. */
  readonly prefix: string;
  readonly status: StatusName | number;
  /** Answer with generic_nack (carrying the status) instead of submit_sm_resp. */
  readonly nack?: boolean;
}

export interface ThrottleBehaviour {
  /** At most this many submit_sm / data_sm in any sliding second; beyond it ESME_RTHROTTLED. */
  readonly tps: number;
  /** Counted per bind (session) or per account (all its binds). */
  readonly scope: 'bind' | 'account';
}

export interface WindowBehaviour {
  /** At most this many submit_sm received and not yet answered per bind (meaningful with latency). */
  readonly max: number;
  readonly status: 'ESME_RMSGQFUL' | 'ESME_RTHROTTLED';
}

export interface DeliverBehaviour {
  /** How long the SMSC waits for deliver_sm_resp before counting a timeout and retrying. */
  readonly respTimeoutMs: number;
  /** Outstanding deliver_sm per bind. */
  readonly window: number;
  /** Sends of one deliver_sm (first try included) before it is dropped and counted as such. */
  readonly maxAttempts: number;
  /** Wait before resending a deliver_sm that timed out or was answered with an error. */
  readonly retryDelayMs: number;
}

export interface Behaviour {
  readonly throttle: ThrottleBehaviour | null;
  readonly latency: LatencySpec;
  readonly window: WindowBehaviour | null;
  readonly messageIds: MessageIdBehaviour;
  readonly receipts: ReceiptBehaviour;
  readonly submitErrors: readonly SubmitErrorRule[];
  readonly querySm: QuerySmBehaviour;
  /** Close the connection on every Nth PDU after bind, without answering it (0: never). */
  readonly dropEveryPdus: number;
  readonly answerEnquireLink: boolean;
  /** The SMSC sends enquire_link to every bind this often (0: never), as carriers do to check their ESMEs. */
  readonly enquireLinkIntervalMs: number;
  readonly deliver: DeliverBehaviour;
  /** Seed of the random choices (latency, outcomes), for repeatable runs. */
  readonly seed: number;
}

type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> | (null extends T[K] ? null : never) }
    : T;

/** A partial behaviour: objects merge key by key, arrays and scalars replace, null switches a feature off. */
export type BehaviourPatch = DeepPartial<Behaviour>;

export const HAPPY_BEHAVIOUR: Behaviour = {
  throttle: null,
  latency: { kind: 'fixed', ms: 0 },
  window: null,
  messageIds: { format: 'hex', width: 0, empty: false },
  receipts: {
    enabled: true,
    delayMs: 0,
    outcomes: [{ stat: 'DELIVRD', weight: 1, err: 0 }],
    intermediate: false,
    textIdFormat: 'same',
    textIdWidth: 0,
  },
  submitErrors: [],
  querySm: 'answer',
  dropEveryPdus: 0,
  answerEnquireLink: true,
  enquireLinkIntervalMs: 0,
  deliver: { respTimeoutMs: 10_000, window: 1000, maxAttempts: 3, retryDelayMs: 1000 },
  seed: 1,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies a (validated) patch over a behaviour without mutating either. */
export function mergeBehaviour(base: Behaviour, patch: BehaviourPatch): Behaviour {
  return mergeValue(base, patch) as Behaviour;
}

function mergeValue(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (!isPlainObject(patch) || !isPlainObject(base)) return patch;
  // A latency of another kind replaces the whole spec rather than mixing fields of two kinds.
  if ('kind' in patch && patch.kind !== base.kind) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergeValue(base[key], value);
  return out;
}
