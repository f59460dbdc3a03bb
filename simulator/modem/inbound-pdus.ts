/**
 * What the network hands a modem for an injected message: one SMS-DELIVER per part (the codec chooses the
 * encoding and cuts the text), in the order the caller asks, so tests can deliver parts out of order.
 */
import { buildDeliverPdus, encodeText, type EncodingRequest } from '../../drivers/codec/index.ts';
import { modemSimError } from './errors.ts';

export interface InboundMessage {
  readonly from: string;
  readonly text: string;
  /** Default auto: GSM 7-bit when the text fits it, else UCS-2. */
  readonly encoding?: EncodingRequest;
  /** Class 0 (flash). */
  readonly flash?: boolean;
  /** Concatenation reference for a multi-part message; default the next of a counter. */
  readonly concatRef?: number;
  /** Deliver the parts in this order of 1-based part numbers (default in order); lets tests scramble them. */
  readonly order?: readonly number[];
}

/** One SMS-DELIVER as the network hands it over, with the text it carries (for text mode). */
export interface DeliverPdu {
  readonly hex: string;
  readonly tpduLength: number;
  readonly text: string;
}

export interface DeliverContext {
  readonly concatRef: number;
  readonly smsc: string;
  readonly scts: Date;
  readonly tzQuarterHours: number;
}

export function inboundPdus(message: InboundMessage, context: DeliverContext): DeliverPdu[] {
  let pdus: DeliverPdu[];
  try {
    const encoded = encodeText(message.text, { encoding: message.encoding ?? 'auto', concatRef: message.concatRef ?? context.concatRef });
    const built = buildDeliverPdus(encoded, {
      from: message.from,
      flash: message.flash === true,
      smsc: context.smsc,
      scts: context.scts,
      tzQuarterHours: context.tzQuarterHours,
    });
    pdus = built.map((pdu, i) => ({ hex: pdu.hex, tpduLength: pdu.tpduLength, text: encoded.parts[i]?.text ?? '' }));
  } catch (error) {
    throw modemSimError('MODEMSIM_INVALID_INBOUND', error instanceof Error ? error.message : String(error), { field: 'text', cause: error });
  }
  const order = message.order;
  if (order === undefined) return pdus;
  const valid = order.length === pdus.length && [...order].sort((a, b) => a - b).every((seq, i) => seq === i + 1);
  if (!valid) throw modemSimError('MODEMSIM_INVALID_INBOUND', `order must list parts 1-${pdus.length} once each`, { field: 'order', value: order });
  return order.map((seq) => pdus[seq - 1] as DeliverPdu);
}
