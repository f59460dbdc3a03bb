/**
 * Typed access to the PDU class of the `smpp` package (0.5.x, untyped CommonJS), which encodes and decodes every
 * SMPP 3.4 PDU from its lib/defs.js grammar. Only lib/pdu.js is loaded: it needs defs.js, iconv-lite and
 * safer-buffer and touches no socket (the package's Session and Server live in lib/smpp.js, which the simulator
 * loads itself). Loaded through createRequire so the types stay local to this module instead of an ambient
 * `declare module` that other folders could collide with. Its decoder is used for rare PDUs only (binds): it turns
 * short_message into a lossy string, while receipts and MO reassembly need the raw octets (message-body.ts).
 */
import { createRequire } from 'node:module';

export interface SmppPdu {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  command_length: number;
  readonly [field: string]: unknown;
  isResponse(): boolean;
  response(options?: Record<string, unknown>): SmppPdu;
  toBuffer(): Buffer;
}

export interface SmppPduClass {
  /** A PDU to send (command name and fields), or one parsed from its complete octets. */
  new (command: string | Buffer, options?: Readonly<Record<string, unknown>>): SmppPdu;
  /** A parsed PDU, or false while `buffer` holds less than its command_length. */
  fromBuffer(buffer: Buffer): SmppPdu | false;
}

const library = createRequire(import.meta.url)('smpp/lib/pdu') as { readonly PDU: SmppPduClass };

export const Pdu: SmppPduClass = library.PDU;

/** Builds a PDU; message octets must already be a Buffer so the package leaves data_coding and esm_class alone. */
export function makePdu(command: string, fields: Record<string, unknown> = {}): SmppPdu {
  return new Pdu(command, fields);
}
