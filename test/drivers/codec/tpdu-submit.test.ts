import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildSubmitPdus, decodeTpdu, encodeBinary, encodeText, type SubmitOptions } from '../../../drivers/codec/index.ts';

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.Duis aute irure dolor in reprehenderit in voluptate velit esse cillum doloe eu fugiat nulla pariatur.Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum';

interface Fixture {
  readonly source: string;
  readonly text: string;
  readonly options: SubmitOptions;
  readonly hex: readonly string[];
  /** What decoding the first PDU must show beyond the text. */
  readonly decoded: Record<string, unknown>;
}

const FIXTURES: readonly Fixture[] = [
  {
    source: 'the classic "hellohello" SMS-SUBMIT of the PDU-format tutorial (dreamfabric "SMS and the PDU format")',
    text: 'hellohello',
    options: { to: '+46708251358', validityMinutes: 4 * 24 * 60 },
    hex: ['0011000B916407281553F80000AA0AE8329BFD4697D9EC37'],
    decoded: { validity: { format: 'relative', vp: 0xaa, minutes: 5760 }, destination: { value: '+46708251358', type: 'international' } },
  },
  {
    source: 'python-gsmmodem test/test_pdu.py test_encodeSmsSubmit',
    text: 'Hello World!',
    options: { to: '+27820001111' },
    hex: ['0001000B917228001011F100000CC8329BFD065DDF72363904'],
    decoded: { messageReference: 0, dcs: { encoding: 'gsm7' } },
  },
  {
    source: 'python-gsmmodem test/test_pdu.py test_encodeSmsSubmit (UCS-2, SMSC given, 52 weeks validity)',
    text: '世界您好！',
    options: { to: '+123456789', validityMinutes: 52 * 7 * 24 * 60, smsc: '+44000000000' },
    hex: ['07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01'],
    decoded: { smsc: { value: '+44000000000' }, validity: { format: 'relative', vp: 244 }, dcs: { encoding: 'ucs2' } },
  },
  {
    source: 'python-gsmmodem test/test_pdu.py test_encodeSmsSubmit_concatenated (TP-RD set, 8-bit reference 0)',
    text: LOREM,
    options: { to: '+15125551234', rejectDuplicates: true },
    hex: [
      '0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD',
      '0045000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE337881D16BFE5E939C89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61BA8B584FCF41E13ABD0C4ACBEBF23288FC66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA',
      '0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D',
    ],
    decoded: { rejectDuplicates: true, userData: { concat: { ref: 0, total: 3, seq: 1, refSize: 8 }, udl: 160 } },
  },
];

describe('SMS-SUBMIT fixtures (TS 23.040 9.2.2.2)', () => {
  test.each(FIXTURES)('$source', (fixture) => {
    const message = encodeText(fixture.text);
    const pdus = buildSubmitPdus(message, fixture.options);
    // encode(x) equals the published bytes
    expect(pdus.map((pdu) => pdu.hex)).toEqual(fixture.hex);
    // decode(bytes) equals the object
    const decoded = fixture.hex.map((hex) => decodeTpdu(hex, { withSmsc: true, direction: 'mo' }));
    expect(decoded[0]).toMatchObject({ type: 'submit', ...fixture.decoded });
    // decode(encode(x)) equals x
    expect(decoded.map((pdu) => pdu.userData?.text).join('')).toBe(fixture.text);
    for (const [index, pdu] of decoded.entries()) {
      expect(pdu.type).toBe('submit');
      if (pdu.type !== 'submit') continue;
      expect(pdu.destination.value).toBe(fixture.options.to);
      expect(pdu.tpduLength).toBe(pdus[index]?.tpduLength);
      expect(pdu.userData.concat?.seq ?? 1).toBe(index + 1);
    }
  });

  test('AT+CMGS length counts the TPDU only', () => {
    const [pdu] = buildSubmitPdus(encodeText('hellohello'), { to: '+46708251358', smsc: '+27381000015' });
    expect(pdu?.hex.startsWith('07917283010010F5')).toBe(true);
    expect(pdu?.tpduLength).toBe(pdu!.bytes.length - 8);
  });

  test.each([
    ['srr', { srr: true }, 0x21],
    ['rejectDuplicates', { rejectDuplicates: true }, 0x05],
    ['validity', { validityMinutes: 60 }, 0x11],
    ['all three', { srr: true, rejectDuplicates: true, validityMinutes: 60 }, 0x35],
  ])('first octet with %s', (_name, extra, first) => {
    const [pdu] = buildSubmitPdus(encodeText('hi'), { to: '+15551234567', ...extra });
    expect(pdu?.bytes[1]).toBe(first);
  });

  test('flash sets class 0, pid and message reference are written, references count up per part', () => {
    const message = encodeText('x'.repeat(200));
    const pdus = buildSubmitPdus(message, { to: '+15551234567', flash: true, pid: 0x40, messageReference: 255 });
    const decoded = pdus.map((pdu) => decodeTpdu(pdu.bytes, { withSmsc: true, direction: 'mo' }));
    expect(decoded.map((pdu) => (pdu.type === 'submit' ? [pdu.messageReference, pdu.pid, pdu.dcs.value] : []))).toEqual([
      [255, 0x40, 0x10],
      [0, 0x40, 0x10],
    ]);
  });

  test('UCS-2 and binary parts: TP-UDL counts octets, UDH included', () => {
    const japanese = encodeText('日本語のテキスト'.repeat(20), { refSize: 16, concatRef: 0x1234 });
    for (const pdu of buildSubmitPdus(japanese, { to: '0123456789' })) {
      const decoded = decodeTpdu(pdu.hex, { withSmsc: true, direction: 'mo' });
      if (decoded.type !== 'submit') throw new Error('not a submit');
      expect(decoded.destination).toEqual({ type: 'unknown', ton: 0, npi: 1, value: '0123456789' });
      expect(decoded.userData.udl).toBe(decoded.userData.udhLength + decoded.userData.payload.length);
      expect(decoded.userData.concat).toMatchObject({ ref: 0x1234, refSize: 16 });
    }
  });

  test('binary payloads with a caller-given UDH (application ports) split with concatenation and read back', () => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) & 0xff);
    const ports = { iei: 0x05, data: Uint8Array.of(0x0b, 0x84, 0x23, 0xf0) }; // WAP push, TS 23.040 9.2.3.24.4
    const message = encodeBinary(payload, { udh: [ports], concatRef: 12 });
    const decoded = buildSubmitPdus(message, { to: '+15551234567' }).map((pdu) => decodeTpdu(pdu.bytes, { withSmsc: true, direction: 'mo' }));
    const joined = decoded.flatMap((pdu) => [...(pdu.userData?.payload ?? [])]);
    expect(Uint8Array.from(joined)).toEqual(payload);
    for (const [index, pdu] of decoded.entries()) {
      expect(pdu).toMatchObject({ type: 'submit', dcs: { encoding: 'binary' }, userData: { encoding: 'binary', text: '', concat: { ref: 12, seq: index + 1 } } });
      expect(pdu.userData?.udh.find((element) => element.iei === 0x05)?.data).toEqual(ports.data);
    }
  });

  test.each([
    [{ to: '' }, 'CODEC_INVALID_ADDRESS'],
    [{ to: '+1555', pid: 256 }, 'CODEC_INVALID_OPTION'],
    [{ to: '+1555', messageReference: -1 }, 'CODEC_INVALID_OPTION'],
    [{ to: '+1555', validityMinutes: 0 }, 'CODEC_INVALID_OPTION'],
    [{ to: '+1555', smsc: 'SMSC' }, 'CODEC_INVALID_ADDRESS'],
  ])('rejects %j', (options, code) => {
    expect(() => buildSubmitPdus(encodeText('hi'), options)).toThrow(expect.objectContaining({ code }));
  });

  test('a part whose payload exceeds 140 octets is refused, not cut', () => {
    const message = encodeText('hi');
    const oversized = { ...message, parts: [{ ...message.parts[0]!, payload: new Uint8Array(161).fill(0x41) }] };
    expect(() => buildSubmitPdus(oversized, { to: '+1555' })).toThrow(expect.objectContaining({ code: 'CODEC_PAYLOAD_TOO_LONG' }));
  });
});

describe('SMS-SUBMIT properties', () => {
  const texts = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCZÄÖÑÜ§¿az{}[]~^\\|€'.split('')), maxLength: 800 }),
    fc.string({ unit: 'grapheme', maxLength: 400 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
  );

  test('every part decodes back: text, references, part numbers, and no TP-UD above 140 octets', () => {
    fc.assert(
      fc.property(texts, fc.boolean(), fc.integer({ min: 0, max: 0xffff }), (text, ref16, ref) => {
        let message;
        try {
          message = encodeText(text, { maxParts: 255, refSize: ref16 ? 16 : 8, concatRef: ref16 ? ref : ref & 0xff });
        } catch (error) {
          // Lone surrogates from the binary unit generator are refused by the text side.
          expect(error).toMatchObject({ code: 'CODEC_UNPAIRED_SURROGATE' });
          return;
        }
        const pdus = buildSubmitPdus(message, { to: '+447700900123' });
        expect(pdus).toHaveLength(message.parts.length);
        const texts: string[] = [];
        for (const [index, pdu] of pdus.entries()) {
          expect(pdu.tpduLength).toBe(pdu.bytes.length - 1);
          const decoded = decodeTpdu(pdu.hex, { withSmsc: true, direction: 'mo' });
          if (decoded.type !== 'submit') throw new Error('not a submit');
          // SMSC 1, first octet 1, MR 1, DA 2 + 6, PID 1, DCS 1, UDL 1: the rest is TP-UD.
          expect(pdu.bytes.length - 14).toBeLessThanOrEqual(140);
          expect(decoded.userData.concat).toEqual(message.parts[index]?.concat);
          expect(decoded.userData.payload).toEqual(message.parts[index]?.payload);
          texts.push(decoded.userData.text);
        }
        expect(texts.join('')).toBe(message.text);
      }),
      { numRuns: 150 },
    );
  });
});
