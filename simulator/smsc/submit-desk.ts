/**
 * The submit_sm / data_sm side of one ESME connection: the behaviour checks in the order an SMSC applies them (bind
 * state, throttle, window, a well-formed body, per-prefix errors), the accepted part recorded, its answer after the
 * sampled latency, and its delivery settled with its receipts scheduled.
 */
import { STATUS, decodeMessageBody, problemStatus, statusValue, type MessageBody } from '../../drivers/smpp-protocol/index.ts';
import type { SubmitErrorRule } from './behaviour.ts';
import type { CarrierContext, DeliverTarget } from './carrier-context.ts';
import type { DeliverItem } from './deliver-queue.ts';
import { formatMessageId } from './message-ids.ts';
import { decodeReceivedPart, type DecodedPart } from './part-decoding.ts';
import { sampleLatency } from './random.ts';
import { RateWindow } from './rate-window.ts';
import { chooseOutcome, receiptFields, wantsFinalReceipt, wantsIntermediate, type ReceiptSubject } from './receipts.ts';

/** How the desk answers, through its connection. */
export interface SubmitReplies {
  /** submit_sm_resp / data_sm_resp: ESME_ROK with `messageId`, or an error status without a body. */
  answer(frame: Buffer, status: number, messageId?: string): void;
  /** A generic_nack instead of the command's own response. */
  nack(frame: Buffer, status: number): void;
}

export class SubmitDesk {
  outstanding = 0;
  maxOutstanding = 0;
  private throttle: RateWindow | undefined;
  private throttleLimit = 0;

  constructor(
    private readonly carrier: CarrierContext,
    private readonly replies: SubmitReplies,
    /** The connection, so receipts prefer the bind the part came in on. */
    private readonly via: DeliverTarget,
  ) {}

  /** One submit_sm or data_sm on a bound transmitter or transceiver of `systemId`. */
  submit(frame: Buffer, command: 'submit_sm' | 'data_sm', systemId: string): void {
    const carrier = this.carrier;
    const behaviour = carrier.behaviour;
    const now = Date.now();
    if (behaviour.throttle !== null && !this.throttleFor(behaviour.throttle.tps, behaviour.throttle.scope, systemId).tryTake(now)) {
      this.replies.answer(frame, STATUS.ESME_RTHROTTLED);
      return;
    }
    if (behaviour.window !== null && this.outstanding >= behaviour.window.max) {
      this.replies.answer(frame, STATUS[behaviour.window.status]);
      return;
    }
    const decoded = decodeMessageBody(frame);
    const fields = decoded.body;
    if (fields === undefined || decoded.problems.length > 0) {
      this.replies.answer(frame, problemStatus(decoded.problems));
      return;
    }
    const rule = prefixRule(behaviour.submitErrors, fields.destinationAddr);
    if (rule !== undefined) {
      const status = statusValue(rule.status);
      if (rule.nack === true) this.replies.nack(frame, status);
      else this.replies.answer(frame, status);
      return;
    }
    const idNumber = carrier.ids.take();
    const messageId = formatMessageId(idNumber, behaviour.messageIds.format, behaviour.messageIds.width);
    // The id the ESME is told: none at all from an SMSC that answers ESME_ROK with an empty message_id.
    const answeredId = behaviour.messageIds.empty ? '' : messageId;
    const part = decodeReceivedPart(fields);
    carrier.counters.acceptedParts++;
    carrier.records.add(
      {
        systemId,
        command,
        from: fields.sourceAddr,
        to: fields.destinationAddr,
        sourceTon: fields.sourceTon,
        sourceNpi: fields.sourceNpi,
        destTon: fields.destTon,
        destNpi: fields.destNpi,
        dataCoding: fields.dataCoding,
        registeredDelivery: fields.registeredDelivery,
        messageId,
        decoded: part,
      },
      now,
    );
    const latency = sampleLatency(behaviour.latency, carrier.random);
    const answer = (): void => {
      this.outstanding--;
      this.replies.answer(frame, 0, answeredId);
      this.scheduleDelivery(systemId, subjectOf(fields, part, idNumber, messageId, now));
    };
    this.outstanding++;
    if (this.outstanding > this.maxOutstanding) {
      this.maxOutstanding = this.outstanding;
      if (this.maxOutstanding > carrier.counters.maxOutstandingSubmits) carrier.counters.maxOutstandingSubmits = this.maxOutstanding;
    }
    if (latency <= 0) answer();
    else carrier.scheduler.after(latency, answer);
  }

  private throttleFor(tps: number, scope: 'bind' | 'account', systemId: string): RateWindow {
    if (scope === 'account') {
      const shared = this.carrier.accountThrottle(systemId);
      if (shared !== undefined) return shared;
    }
    if (this.throttle === undefined || this.throttleLimit !== tps) {
      this.throttle = new RateWindow(tps);
      this.throttleLimit = tps;
    }
    return this.throttle;
  }

  /**
   * Settles the part `receipts.delayMs` after the answer, when its receipts are sent. A part whose receipt is not
   * asked for, or switched off, still ends in its state for query_sm, drawn lazily when first queried.
   */
  private scheduleDelivery(systemId: string, subject: ReceiptSubject): void {
    const carrier = this.carrier;
    const receipts = carrier.behaviour.receipts;
    const receipted = receipts.enabled && (subject.registeredDelivery & 0x13) !== 0;
    if (!receipted) {
      // No receipt goes out: no timer, and the outcome is drawn only if a query_sm asks after its time.
      carrier.records.settleAt(subject.messageId, Date.now() + receipts.delayMs, () => {
        const drawn = chooseOutcome(receipts.outcomes, subject.to, carrier.random);
        return { stat: drawn.stat, err: drawn.err ?? 0 };
      });
      return;
    }
    const outcome = chooseOutcome(receipts.outcomes, subject.to, carrier.random);
    const final = wantsFinalReceipt(subject.registeredDelivery, outcome.stat);
    const intermediate = receipts.intermediate && wantsIntermediate(subject.registeredDelivery);
    const sendOne = (isIntermediate: boolean): void => {
      carrier.counters.receiptsGenerated++;
      const item: DeliverItem = {
        kind: 'receipt',
        fields: receiptFields(subject, outcome, isIntermediate, carrier.behaviour, Date.now()),
        attempts: 0,
        done: (result) => {
          if ('status' in result && result.status === 0) carrier.counters.receiptsAcknowledged++;
        },
      };
      carrier.routeDeliver(systemId, item, this.via);
    };
    if (intermediate) carrier.scheduler.after(Math.floor(receipts.delayMs / 2), () => sendOne(true));
    carrier.scheduler.after(receipts.delayMs, () => {
      carrier.records.settle(subject.messageId, outcome.stat, outcome.err ?? 0, Date.now());
      if (final) sendOne(false);
    });
  }
}

function subjectOf(fields: MessageBody, decoded: DecodedPart, idNumber: number, messageId: string, now: number): ReceiptSubject {
  return {
    idNumber,
    messageId,
    from: fields.sourceAddr,
    sourceTon: fields.sourceTon,
    sourceNpi: fields.sourceNpi,
    to: fields.destinationAddr,
    destTon: fields.destTon,
    destNpi: fields.destNpi,
    registeredDelivery: fields.registeredDelivery,
    text: decoded.text,
    submittedAt: now,
  };
}

function prefixRule(rules: readonly SubmitErrorRule[], destination: string): SubmitErrorRule | undefined {
  if (rules.length === 0) return undefined;
  const to = destination.startsWith('+') ? destination.slice(1) : destination;
  for (const rule of rules) {
    const prefix = rule.prefix.startsWith('+') ? rule.prefix.slice(1) : rule.prefix;
    if (to.startsWith(prefix)) return rule;
  }
  return undefined;
}
