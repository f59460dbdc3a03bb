import { describe, expect, test } from 'vitest';
import { FrameReader, MAX_PDU_LENGTH, Pdu } from '../../../drivers/smpp-protocol/index.ts';

const stream = Buffer.concat([
  new Pdu('enquire_link', { sequence_number: 1 }).toBuffer(),
  new Pdu('submit_sm_resp', { sequence_number: 2, message_id: 'abc123' }).toBuffer(),
  new Pdu('deliver_sm', { sequence_number: 3, source_addr: '447700900123', short_message: Buffer.from('hello') }).toBuffer(),
]);

function frames(chunks: Buffer[]): number[] {
  const reader = new FrameReader();
  const seqs: number[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let frame = reader.next(); frame !== undefined; frame = reader.next()) seqs.push(frame.readUInt32BE(12));
  }
  return seqs;
}

describe('FrameReader', () => {
  test.each(Array.from({ length: stream.length + 1 }, (_, cut) => cut))('yields the same PDUs when cut at %i', (cut) => {
    expect(frames([stream.subarray(0, cut), stream.subarray(cut)])).toEqual([1, 2, 3]);
  });

  test('one octet at a time', () => {
    expect(frames([...stream].map((octet) => Buffer.from([octet])))).toEqual([1, 2, 3]);
  });

  test.each([
    ['below the header length', 15],
    ['above the maximum', MAX_PDU_LENGTH + 1],
  ])('reports a command_length %s as a problem, and reads no further', (_name, length) => {
    const reader = new FrameReader();
    const bad = Buffer.alloc(16);
    bad.writeUInt32BE(length, 0);
    reader.push(bad);
    reader.push(new Pdu('enquire_link', { sequence_number: 1 }).toBuffer());
    expect(reader.next()).toBeUndefined();
    expect(reader.problem).toMatchObject({ field: 'command_length', value: length });
    expect(reader.next()).toBeUndefined();
  });

  test('takes a data_sm carrying the largest message_payload', () => {
    // The largest addresses data_sm allows (65 octets with NUL) beside the largest message_payload.
    const pdu = new Pdu('data_sm', {
      sequence_number: 4,
      source_addr: '1'.repeat(64),
      destination_addr: '2'.repeat(64),
      message_payload: Buffer.alloc(65_535, 0x41),
    }).toBuffer();
    expect(pdu.length).toBeLessThanOrEqual(MAX_PDU_LENGTH);
    const reader = new FrameReader();
    reader.push(pdu);
    expect(reader.next()?.length).toBe(pdu.length);
    expect(reader.problem).toBeUndefined();
  });

  test('keeps the unread rest while the caller stops early', () => {
    const reader = new FrameReader();
    reader.push(stream);
    expect(reader.next()?.readUInt32BE(12)).toBe(1);
    expect(reader.buffered).toBe(stream.length - 16);
    expect(reader.next()?.readUInt32BE(12)).toBe(2);
  });
});
