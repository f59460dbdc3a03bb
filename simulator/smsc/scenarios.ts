/**
 * Named behaviours, one per failure mode, that tests and testers select by name (`--scenario NAME`,
 * `POST /scenario`). Each is a patch over `happy`.
 */
import { HAPPY_BEHAVIOUR, type Behaviour, type BehaviourPatch } from './behaviour.ts';
import { applyBehaviourPatch } from './behaviour-schema.ts';
import { simError } from './errors.ts';

export const SCENARIOS = {
  /** Every submit accepted at once, a DELIVRD receipt right after. */
  happy: {},
  /** ESME_RTHROTTLED beyond 10 submits in any second per account. */
  throttled: { throttle: { tps: 10, scope: 'account' } },
  /** Answers take 200 ms on average (normal-ish, sd 50 ms). */
  slow: { latency: { kind: 'normal', meanMs: 200, stdDevMs: 50 } },
  /** 100 ms answers and at most 10 outstanding submits per bind; beyond: ESME_RMSGQFUL. */
  window: { latency: { kind: 'fixed', ms: 100 }, window: { max: 10, status: 'ESME_RMSGQFUL' } },
  /** 70% DELIVRD, 10% each UNDELIV, EXPIRED and REJECTD, receipts 200 ms after the answer. */
  'mixed-receipts': {
    receipts: {
      delayMs: 200,
      outcomes: [
        { stat: 'DELIVRD', weight: 70, err: 0 },
        { stat: 'UNDELIV', weight: 10, err: 1 },
        { stat: 'EXPIRED', weight: 10, err: 27 },
        { stat: 'REJECTD', weight: 10, err: 11 },
      ],
    },
  },
  /** Decimal message ids, zero-padded to 10 digits, everywhere. */
  'decimal-ids': { messageIds: { format: 'decimal', width: 10 } },
  /** Hex ids in submit_sm_resp, decimal ids in the receipt text (a common carrier quirk). */
  'hex-resp-decimal-receipt': { messageIds: { format: 'hex', width: 0 }, receipts: { textIdFormat: 'decimal', textIdWidth: 10 } },
  /** An ENROUTE notification (esm_class 0x20) before the final receipt, when registered_delivery asks for it. */
  intermediate: { receipts: { intermediate: true, delayMs: 50 } },
  /** No receipts at all. */
  'no-receipts': { receipts: { enabled: false } },
  /** Destinations +8170... refused with ESME_RINVDSTADR. */
  'invalid-destinations': { submitErrors: [{ prefix: '+8170', status: 'ESME_RINVDSTADR' }] },
  /** ESME_ROK with an empty message_id: accepted and delivered, but the ESME never learns the id. */
  'empty-message-ids': { messageIds: { empty: true } },
  /** query_sm refused with generic_nack ESME_RINVCMDID, as by an SMSC that does not offer it. */
  'no-query-sm': { querySm: 'generic_nack' },
  /** The connection drops on every 100th PDU after bind. */
  flaky: { dropEveryPdus: 100 },
  /** enquire_link is never answered (a dead peer). */
  'silent-enquire-link': { answerEnquireLink: false },
  /** deliver_sm_resp must come within 200 ms or the SMSC counts a timeout and resends. */
  'impatient-deliver': { deliver: { respTimeoutMs: 200 } },
} as const satisfies Record<string, BehaviourPatch>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

/** The behaviour of a named scenario, optionally with a patch on top. */
export function scenarioBehaviour(name: string, patch?: unknown, root = 'behaviour'): Behaviour {
  if (!isScenarioName(name)) {
    const field = root === 'behaviour' ? 'scenario' : root.replace(/behaviour$/, 'scenario');
    throw simError('SIM_UNKNOWN_SCENARIO', `${name} (known: ${SCENARIO_NAMES.join(', ')})`, { field, value: name });
  }
  const base = applyBehaviourPatch(HAPPY_BEHAVIOUR, SCENARIOS[name], `scenario ${name}`);
  return patch === undefined ? base : applyBehaviourPatch(base, patch, root);
}
