import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LineFramer, parseFinal, type FrameEvent } from '../../../drivers/at-protocol/index.ts';

/** Feeds `transcript` cut at `cuts` and returns every event plus the noise count. */
function frame(transcript: string, cuts: readonly number[], expect: readonly string[] = []): { events: FrameEvent[]; garbage: number } {
  const framer = new LineFramer();
  framer.expect(expect);
  const bytes = Buffer.from(transcript, 'latin1');
  const events: FrameEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...framer.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return { events, garbage: framer.garbageBytes };
}

const PDU_IN = '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07';
const SR_PDU = '07911326040000F006050B911346610089F6208062917314082080629173240800';

const TRANSCRIPTS: readonly { name: string; text: string; expect?: string[]; events: FrameEvent[]; garbage?: number }[] = [
  {
    name: 'echo, information line and OK',
    text: 'AT+CGSN\r\r\n356938035643809\r\n\r\nOK\r\n',
    events: [
      { type: 'echo', text: 'AT+CGSN' },
      { type: 'line', text: '356938035643809' },
      { type: 'final', result: { kind: 'ok' } },
    ],
  },
  {
    name: 'AT+CMGS with prompt, URCs in the middle, then +CMGS',
    text: `\r\n> \r\n+CMTI: "SM",3\r\n${'0011000B911326'}\x1a\r\n+CDSI: "SR",1\r\n+CMGS: 17\r\n\r\nOK\r\n`,
    events: [
      { type: 'prompt' },
      { type: 'urc', name: '+CMTI', text: '+CMTI: "SM",3' },
      { type: 'echo', text: '0011000B911326' },
      { type: 'urc', name: '+CDSI', text: '+CDSI: "SR",1' },
      { type: 'line', text: '+CMGS: 17' },
      { type: 'final', result: { kind: 'ok' } },
    ],
  },
  {
    name: '+CMT and +CDS carry their PDU line',
    text: `\r\n+CMT: ,36\r\n${PDU_IN}\r\n\r\n+CDS: 25\r\n${SR_PDU}\r\nRING\r\n`,
    events: [
      { type: 'urc', name: '+CMT', text: '+CMT: ,36', pdu: PDU_IN },
      { type: 'urc', name: '+CDS', text: '+CDS: 25', pdu: SR_PDU },
      { type: 'urc', name: 'RING', text: 'RING' },
    ],
  },
  {
    name: '+CMGL listing: each entry with its PDU, an empty read, errors',
    text: `\r\n+CMGL: 1,0,,36\r\n${PDU_IN}\r\n+CMGL: 4,1,,36\r\n${PDU_IN}\r\n\r\nOK\r\n+CMGR: 0,,0\r\nOK\r\n+CMS ERROR: 321\r\n+CME ERROR: SIM not inserted\r\nERROR\r\n`,
    expect: ['+CMGL', '+CMGR'],
    events: [
      { type: 'line', text: '+CMGL: 1,0,,36', pdu: PDU_IN },
      { type: 'line', text: '+CMGL: 4,1,,36', pdu: PDU_IN },
      { type: 'final', result: { kind: 'ok' } },
      { type: 'line', text: '+CMGR: 0,,0' },
      { type: 'final', result: { kind: 'ok' } },
      { type: 'final', result: { kind: 'cms', code: 321, text: '321' } },
      { type: 'final', result: { kind: 'cme', code: null, text: 'SIM not inserted' } },
      { type: 'final', result: { kind: 'error' } },
    ],
  },
  {
    name: '+CREG is a response while AT+CREG? is pending, a URC otherwise',
    text: '\r\n+CREG: 0,1\r\n\r\nOK\r\n',
    expect: ['+CREG'],
    events: [{ type: 'line', text: '+CREG: 0,1' }, { type: 'final', result: { kind: 'ok' } }],
  },
  {
    name: 'an unsolicited +CREG / +CEREG when nothing expects them',
    text: '\r\n+CREG: 1\r\n+CEREG: 5,"1A2B","01C2D3E4",7\r\n',
    expect: ['+CSQ'],
    events: [
      { type: 'urc', name: '+CREG', text: '+CREG: 1' },
      { type: 'urc', name: '+CEREG', text: '+CEREG: 5,"1A2B","01C2D3E4",7' },
    ],
  },
  {
    name: 'noise bytes dropped and counted, lines around them intact',
    text: '\x00\xff\x13\r\n+CSQ: 2\x801,99\r\n\x02OK\r\n\xfe',
    expect: ['+CSQ'],
    events: [{ type: 'line', text: '+CSQ: 21,99' }, { type: 'final', result: { kind: 'ok' } }],
    garbage: 6,
  },
];

describe('LineFramer', () => {
  test.each(TRANSCRIPTS)('$name: whole transcript', ({ text, expect: prefixes, events, garbage }) => {
    const result = frame(text, [], prefixes);
    expect(result.events).toEqual(events);
    expect(result.garbage).toBe(garbage ?? 0);
  });

  test.each(TRANSCRIPTS)('$name: cut at every offset gives the same events', ({ text, expect: prefixes, events, garbage }) => {
    for (let cut = 0; cut <= text.length; cut += 1) {
      const result = frame(text, [cut], prefixes);
      expect(result.events, `cut at ${cut}`).toEqual(events);
      expect(result.garbage).toBe(garbage ?? 0);
    }
  });

  test.each(TRANSCRIPTS)('$name: fed one byte at a time', ({ text, expect: prefixes, events }) => {
    const cuts = Array.from({ length: text.length }, (_, i) => i);
    expect(frame(text, cuts, prefixes).events).toEqual(events);
  });

  test.each(TRANSCRIPTS)('$name: cut at every pair of offsets', ({ text, expect: prefixes, events }) => {
    for (let a = 0; a <= text.length; a += 3) {
      for (let b = a; b <= text.length; b += 5) expect(frame(text, [a, b], prefixes).events).toEqual(events);
    }
  });
});

describe('parseFinal', () => {
  test.each([
    ['OK', { kind: 'ok' }],
    ['ERROR', { kind: 'error' }],
    ['+CMS ERROR: 500', { kind: 'cms', code: 500, text: '500' }],
    ['+CME ERROR: 16', { kind: 'cme', code: 16, text: '16' }],
    ['+CME ERROR: incorrect password', { kind: 'cme', code: null, text: 'incorrect password' }],
    ['NO CARRIER', { kind: 'other', text: 'NO CARRIER' }],
    ['COMMAND NOT SUPPORT', { kind: 'other', text: 'COMMAND NOT SUPPORT' }],
    ['+CMGS: 5', null],
    ['OKAY', null],
  ])('%s', (line, result) => {
    expect(parseFinal(line)).toEqual(result);
  });
});

describe('LineFramer, any chunking of any transcript', () => {
  const PIECES = [
    '\r\nOK\r\n',
    '\r\nERROR\r\n',
    '\r\n+CMS ERROR: 42\r\n',
    '\r\n+CME ERROR: 10\r\n',
    '\r\n+CMTI: "SM",7\r\n',
    `\r\n+CMT: ,36\r\n${PDU_IN}\r\n`,
    `\r\n+CDS: 25\r\n${SR_PDU}\r\n`,
    '\r\n+CMGS: 200\r\n',
    '\r\n> ',
    'AT+CSQ\r',
    '0011000B911326\x1a',
    '\r\n+CREG: 1\r\n',
    '\x00\xff\x80',
    '\r\nRING\r\n',
  ];

  test('events do not depend on where the bytes are cut', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 20 }), (pieces, rawCuts) => {
        const text = pieces.join('');
        const cuts = [...new Set(rawCuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        expect(frame(text, cuts)).toEqual(frame(text, []));
      }),
      { numRuns: 300 },
    );
  });
});
