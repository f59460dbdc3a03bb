/**
 * An independent SMPP 3.4 well-formedness check for PDUs captured on the wire (it shares no code with the
 * simulator): command_length matches the octets, each body follows the grammar of its section 4.x, C-octet
 * strings are NUL-terminated within their maximum lengths, sm_length matches short_message, and every TLV's
 * length fits the PDU and its tag's definition (section 5.3.2).
 */

/** Section 5.1.2 command ids this checker knows. */
const COMMANDS: Readonly<Record<number, string>> = {
  0x80000000: 'generic_nack',
  0x00000001: 'bind_receiver',
  0x80000001: 'bind_receiver_resp',
  0x00000002: 'bind_transmitter',
  0x80000002: 'bind_transmitter_resp',
  0x80000003: 'query_sm_resp',
  0x00000004: 'submit_sm',
  0x80000004: 'submit_sm_resp',
  0x00000005: 'deliver_sm',
  0x80000005: 'deliver_sm_resp',
  0x00000006: 'unbind',
  0x80000006: 'unbind_resp',
  0x00000009: 'bind_transceiver',
  0x80000009: 'bind_transceiver_resp',
  0x00000015: 'enquire_link',
  0x80000015: 'enquire_link_resp',
  0x00000103: 'data_sm',
  0x80000103: 'data_sm_resp',
};

/** Section 5.3.2 TLV value lengths: a number is exact; [min, max] for variable ones; 'cstring' max incl. NUL. */
const TLV_LENGTHS: Readonly<Record<number, number | readonly [number, number] | { cstring: number }>> = {
  0x001e: { cstring: 65 }, // receipted_message_id
  0x020c: 2, // sar_msg_ref_num
  0x020e: 1, // sar_total_segments
  0x020f: 1, // sar_segment_seqnum
  0x0210: 1, // sc_interface_version
  0x0423: 3, // network_error_code
  0x0424: [0, 65535], // message_payload
  0x0427: 1, // message_state
};

export interface CheckedPdu {
  readonly command: string;
  readonly commandId: number;
  readonly status: number;
  readonly sequence: number;
  readonly octets: Buffer;
  readonly problems: readonly string[];
  /** For deliver_sm: the parsed fields, so tests can read exactly what travelled. */
  readonly deliver?: {
    readonly sourceAddr: string;
    readonly destinationAddr: string;
    readonly esmClass: number;
    readonly dataCoding: number;
    readonly shortMessage: Buffer;
    readonly tlvs: ReadonlyMap<number, Buffer>;
  };
}

class Cursor {
  offset = 16;
  constructor(readonly pdu: Buffer) {}
  get left(): number {
    return this.pdu.length - this.offset;
  }
  octet(name: string, problems: string[]): number {
    if (this.left < 1) {
      problems.push(`${name}: missing`);
      return 0;
    }
    return this.pdu[this.offset++] as number;
  }
  cstring(name: string, max: number, problems: string[], allowed?: readonly number[]): string {
    const end = this.pdu.indexOf(0, this.offset);
    if (end < 0) {
      problems.push(`${name}: no NUL terminator`);
      this.offset = this.pdu.length;
      return '';
    }
    const value = this.pdu.subarray(this.offset, end);
    if (value.length + 1 > max) problems.push(`${name}: ${value.length + 1} octets with NUL, at most ${max}`);
    if (allowed !== undefined && !allowed.includes(value.length + 1)) problems.push(`${name}: length ${value.length + 1} not one of ${allowed.join('/')}`);
    this.offset = end + 1;
    return value.toString('latin1');
  }
}

function checkTlvs(c: Cursor, problems: string[]): Map<number, Buffer> {
  const tlvs = new Map<number, Buffer>();
  while (c.left > 0) {
    if (c.left < 4) {
      problems.push(`TLV header truncated (${c.left} octets left)`);
      break;
    }
    const tag = c.pdu.readUInt16BE(c.offset);
    const length = c.pdu.readUInt16BE(c.offset + 2);
    c.offset += 4;
    if (length > c.left) {
      problems.push(`TLV 0x${tag.toString(16)}: length ${length} beyond the PDU (${c.left} left)`);
      break;
    }
    const value = c.pdu.subarray(c.offset, c.offset + length);
    c.offset += length;
    if (tlvs.has(tag)) problems.push(`TLV 0x${tag.toString(16)} appears twice`);
    tlvs.set(tag, value);
    const rule = TLV_LENGTHS[tag];
    if (typeof rule === 'number' && length !== rule) problems.push(`TLV 0x${tag.toString(16)}: length ${length}, must be ${rule}`);
    else if (Array.isArray(rule) && (length < (rule[0] as number) || length > (rule[1] as number))) problems.push(`TLV 0x${tag.toString(16)}: length ${length}`);
    else if (typeof rule === 'object' && 'cstring' in rule) {
      if (length === 0 || value[length - 1] !== 0 || value.indexOf(0) !== length - 1) problems.push(`TLV 0x${tag.toString(16)}: not one NUL-terminated C-octet string`);
      if (length > rule.cstring) problems.push(`TLV 0x${tag.toString(16)}: ${length} octets, at most ${rule.cstring}`);
    }
  }
  return tlvs;
}

/** Checks one complete PDU. */
export function checkPdu(pdu: Buffer): CheckedPdu {
  const problems: string[] = [];
  const length = pdu.readUInt32BE(0);
  const commandId = pdu.readUInt32BE(4);
  const status = pdu.readUInt32BE(8);
  const sequence = pdu.readUInt32BE(12);
  const command = COMMANDS[commandId] ?? `unknown 0x${commandId.toString(16)}`;
  if (length !== pdu.length) problems.push(`command_length ${length} but ${pdu.length} octets`);
  if (length < 16) problems.push(`command_length ${length} below the 16-octet header`);
  if (COMMANDS[commandId] === undefined) problems.push(`unknown command_id 0x${commandId.toString(16)}`);
  if (sequence === 0 || sequence > 0x7fffffff) problems.push(`sequence_number ${sequence} outside 1..0x7FFFFFFF`);
  const isResponse = (commandId & 0x80000000) !== 0;
  if (!isResponse && status !== 0) problems.push(`request with command_status ${status}`);
  const c = new Cursor(pdu);
  let deliver: CheckedPdu['deliver'];
  switch (command) {
    case 'generic_nack':
    case 'enquire_link':
    case 'enquire_link_resp':
    case 'unbind':
    case 'unbind_resp':
      break;
    case 'bind_receiver_resp':
    case 'bind_transmitter_resp':
    case 'bind_transceiver_resp':
      if (status === 0 || c.left > 0) {
        c.cstring('system_id', 16, problems);
        checkTlvs(c, problems);
      }
      break;
    case 'submit_sm_resp':
    case 'data_sm_resp':
      if (status === 0) c.cstring('message_id', 65, problems);
      else if (c.left > 0) problems.push(`${command} with error status carries a body`);
      break;
    case 'query_sm_resp':
      // Section 4.8.2: message_id, final_date (NULL or 16 characters), message_state (5.2.28: 1..8), error_code.
      if (status === 0) {
        c.cstring('message_id', 65, problems);
        c.cstring('final_date', 17, problems, [1, 17]);
        const state = c.octet('message_state', problems);
        if (state < 1 || state > 8) problems.push(`message_state ${state} outside 1..8`);
        c.octet('error_code', problems);
        if (c.left > 0) problems.push(`${c.left} octets after error_code`);
      } else if (c.left > 0) problems.push(`${command} with error status carries a body`);
      break;
    case 'deliver_sm_resp':
      if (c.left > 0) {
        const id = c.cstring('message_id', 1, problems);
        if (id !== '') problems.push('deliver_sm_resp message_id must be NULL');
      }
      break;
    case 'deliver_sm': {
      c.cstring('service_type', 6, problems);
      c.octet('source_addr_ton', problems);
      c.octet('source_addr_npi', problems);
      const sourceAddr = c.cstring('source_addr', 21, problems);
      c.octet('dest_addr_ton', problems);
      c.octet('dest_addr_npi', problems);
      const destinationAddr = c.cstring('destination_addr', 21, problems);
      const esmClass = c.octet('esm_class', problems);
      c.octet('protocol_id', problems);
      c.octet('priority_flag', problems);
      c.cstring('schedule_delivery_time', 1, problems);
      c.cstring('validity_period', 1, problems);
      c.octet('registered_delivery', problems);
      if (c.octet('replace_if_present_flag', problems) !== 0) problems.push('replace_if_present_flag must be 0 in deliver_sm');
      const dataCoding = c.octet('data_coding', problems);
      if (c.octet('sm_default_msg_id', problems) !== 0) problems.push('sm_default_msg_id must be 0 in deliver_sm');
      const smLength = c.octet('sm_length', problems);
      if (smLength > 254) problems.push(`sm_length ${smLength} above 254`);
      if (smLength > c.left) problems.push(`sm_length ${smLength} beyond the PDU (${c.left} left)`);
      const shortMessage = pdu.subarray(c.offset, c.offset + Math.min(smLength, c.left));
      c.offset += shortMessage.length;
      const tlvs = checkTlvs(c, problems);
      if (tlvs.has(0x0424) && smLength !== 0) problems.push('message_payload present with a non-zero sm_length');
      if ((esmClass & 0x3c) === 0x04 && !tlvs.has(0x001e)) problems.push('receipt without receipted_message_id');
      deliver = { sourceAddr, destinationAddr, esmClass, dataCoding, shortMessage, tlvs };
      break;
    }
    default:
      break;
  }
  return { command, commandId, status, sequence, octets: pdu, problems, ...(deliver === undefined ? {} : { deliver }) };
}

/** Splits a captured byte stream into PDUs (and what is left of an unfinished one). */
export function splitPdus(stream: Buffer): { pdus: Buffer[]; rest: Buffer } {
  const pdus: Buffer[] = [];
  let o = 0;
  while (stream.length - o >= 4) {
    const length = stream.readUInt32BE(o);
    if (length < 16) {
      pdus.push(stream.subarray(o));
      return { pdus, rest: Buffer.alloc(0) };
    }
    if (stream.length - o < length) break;
    pdus.push(stream.subarray(o, o + length));
    o += length;
  }
  return { pdus, rest: stream.subarray(o) };
}
