import { createRequire } from 'node:module';

/**
 * The part of the `smpp` package (0.5.x, untyped CommonJS) this driver uses: its PDU class, which
 * encodes and decodes every SMPP 3.4 PDU from lib/defs.js. Its Session is not used: it keeps a closure
 * per request, writes each PDU separately, and its decode filter turns short_message into a lossy string,
 * while receipts and MO reassembly need the raw octets.
 */
export interface SmppPdu {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  readonly [field: string]: unknown;
  toBuffer(): Buffer;
}

export interface SmppPduClass {
  new (command: string, options?: Readonly<Record<string, unknown>>): SmppPdu;
  fromBuffer(buffer: Buffer): SmppPdu | false;
}

interface SmppLibrary {
  readonly PDU: SmppPduClass;
}

const library = createRequire(import.meta.url)('smpp') as SmppLibrary;

export const Pdu: SmppPduClass = library.PDU;

/** SMPP 3.4 section 5.1.2 command_id values the driver dispatches on. */
export const CMD = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const;

export const RESPONSE_BIT = 0x80000000;
