/**
 * What the SMSC delivers to a connector: each deliver_sm / data_sm decoded into a receipt or an MO part, parts
 * reassembled, the result handed to the sink, and the PDU answered once the sink settled (ESME_RX_T_APPN when it
 * failed, so the SMSC retries; ESME_RX_P_APPN for what no retry can fix).
 */
import type { RecentMap } from '../../common/index.ts';
import type { Reassembler, ReassembledMessage } from '../codec/index.ts';
import { STATUS } from '../smpp-protocol/index.ts';
import type { DriverSink, InboundMessage, Receipt } from '../transport/index.ts';
import type { CounterName } from './connector-counters.ts';
import { decodeDelivery, inboundMessage, receiptOf, type DecodedDelivery } from './delivery.ts';

/** The bind a delivery came in on, which answers it. */
export interface DeliveryAnswerer {
  answerDelivery(generation: number, seq: number, status: number): void;
}

export interface InboundContext {
  readonly connectorId: string;
  readonly knownIds: RecentMap<string, string>;
  readonly reassembler: Reassembler;
  readonly now: () => number;
  sink(): DriverSink | undefined;
  count(name: CounterName): void;
}

export class InboundHandler {
  constructor(private readonly ctx: InboundContext) {}

  delivery(bind: DeliveryAnswerer, generation: number, frame: Buffer): void {
    const ctx = this.ctx;
    const seq = frame.readUInt32BE(12);
    let decoded: DecodedDelivery;
    try {
      decoded = decodeDelivery(frame);
    } catch {
      // Malformed beyond reading: a retry of the same octets cannot succeed.
      ctx.count('inboundMalformed');
      bind.answerDelivery(generation, seq, STATUS.ESME_RX_P_APPN);
      return;
    }
    const now = new Date(ctx.now());
    if (decoded.kind === 'receipt') {
      const receipt = receiptOf(decoded, ctx.connectorId, ctx.knownIds, now);
      if (receipt === undefined) {
        ctx.count('receiptsUnmatched');
        bind.answerDelivery(generation, seq, STATUS.ESME_RX_P_APPN);
        return;
      }
      ctx.count('receipts');
      this.hand(this.toSink('receipt', receipt), bind, generation, seq);
      return;
    }
    ctx.count('inboundParts');
    const result = ctx.reassembler.add(decoded.part, now.getTime());
    for (const evicted of result.evicted) this.deliverLoose(evicted);
    if (result.message === undefined) {
      // A part held for reassembly is acknowledged now; the whole message waits for its last part's answer.
      bind.answerDelivery(generation, seq, STATUS.ESME_ROK);
      return;
    }
    const message = inboundMessage(ctx.connectorId, result.message, now);
    ctx.count('inbound');
    this.hand(this.toSink('inbound', message), bind, generation, seq);
  }

  /** A message given up on (reassembly timeout or eviction, or shutdown): passed on with the parts it has. */
  deliverLoose(message: ReassembledMessage): void {
    const ctx = this.ctx;
    const inbound = inboundMessage(ctx.connectorId, message, new Date(ctx.now()));
    ctx.count('inbound');
    ctx.count('inboundIncomplete');
    this.toSink('inbound', inbound).catch(() => ctx.count('sinkFailures'));
  }

  private hand(promise: Promise<void>, bind: DeliveryAnswerer, generation: number, seq: number): void {
    promise.then(
      () => bind.answerDelivery(generation, seq, STATUS.ESME_ROK),
      () => {
        this.ctx.count('sinkFailures');
        bind.answerDelivery(generation, seq, STATUS.ESME_RX_T_APPN);
      },
    );
  }

  /** The sink's promise; a sink that throws instead of rejecting is treated alike, never as a broken PDU. */
  private toSink(kind: 'receipt', value: Receipt): Promise<void>;
  private toSink(kind: 'inbound', value: InboundMessage): Promise<void>;
  private toSink(kind: 'receipt' | 'inbound', value: Receipt | InboundMessage): Promise<void> {
    const sink = this.ctx.sink();
    if (sink === undefined) return Promise.resolve();
    try {
      return kind === 'receipt' ? sink.receipt(value as Receipt) : sink.inbound(value as InboundMessage);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
