import { describe, expect, test } from 'vitest';
import { decodeTpdu } from '../../drivers/codec/index.ts';
import { readIndependently } from '../drivers/codec/independent-reader.ts';
import { runCli } from './run-cli.ts';

describe('smsgw pdu encode', () => {
  test('prints the PDU exactly as AT+CMGS takes it, and nothing else', () => {
    // Source: the classic "hellohello" SMS-SUBMIT of the PDU-format tutorial (4 days validity).
    const result = runCli(['pdu', 'encode', '--to', '+46708251358', '--text', 'hellohello', '--validity', '5760']);
    expect(result).toMatchObject({ status: 0, stdout: '0011000B916407281553F80000AA0AE8329BFD4697D9EC37\n', stderr: '' });
  });

  // The "done when": every PDU the CLI prints decodes in an independent decoder (node-pdu) to the same
  // text, parts and references.
  test.each([
    ['GSM extension characters, 8-bit reference', 'Price: €5 {promo} [now] ~50% off | code ^A\\B '.repeat(6), ['--ref', '255'], 255],
    ['Japanese', 'こんにちは、世界。今日はいい天気ですね。'.repeat(7), ['--ref', '9'], 9],
    ['emoji', 'Party 🎉 at 8 🕗 see you 😀 '.repeat(8), ['--ref', '200'], 200],
    ['GSM, 16-bit reference', 'Meet at 10:30 by the station, bring the tickets please. '.repeat(8), ['--ref16', '--ref', '65535'], 65535],
  ])('%s: node-pdu reads the same text, parts and references', (_name, text, flags, ref) => {
    const result = runCli(['pdu', 'encode', '--to', '+447911123456', '--text', text, ...flags]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    const read = readIndependently(lines);
    expect(read.text).toBe(text);
    expect(read.to).toBe('447911123456');
    expect(read.concat).toEqual(lines.map((_, i) => [ref, lines.length, i + 1]));
    // Our own decoder agrees, each PDU decoded alone.
    const decoded = lines.map((line) => decodeTpdu(line, { withSmsc: true, direction: 'mo' }));
    expect(decoded.map((pdu) => pdu.userData?.text).join('')).toBe(text);
    expect(decoded.map((pdu) => pdu.userData?.concat)).toEqual(lines.map((_, i) => ({ ref, refSize: flags.includes('--ref16') ? 16 : 8, total: lines.length, seq: i + 1 })));
  });

  test('status report request, flash, SMSC and message reference reach the PDU', () => {
    const result = runCli(['pdu', 'encode', '--to', '0123456', '--as-is', '--text', 'hi', '--srr', '--flash', '--smsc', '+447785016005', '--mr', '5']);
    expect(result.status).toBe(0);
    expect(decodeTpdu(result.stdout.trim(), { withSmsc: true, direction: 'mo' })).toMatchObject({
      type: 'submit',
      smsc: { value: '+447785016005' },
      statusReportRequest: true,
      messageReference: 5,
      dcs: { messageClass: 0 },
      destination: { value: '0123456', type: 'unknown' },
    });
  });

  // Destinations are normalized as the gateway normalizes a submit's `to`: national forms with --country (JP by default).
  test.each([
    ['a Japanese national number with separators', ['--to', '090-1234-5678'], '+819012345678'],
    ['the 00 international prefix', ['--to', '0081-90-1234-5678'], '+819012345678'],
    ['a national number of another --country', ['--to', '020 7946 0018', '--country', 'GB'], '+442079460018'],
  ])('%s becomes an international TP-DA', (_label, flags, e164) => {
    const result = runCli(['pdu', 'encode', ...flags, '--text', 'hi']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(decodeTpdu(result.stdout.trim(), { withSmsc: true, direction: 'mo' })).toMatchObject({ type: 'submit', destination: { value: e164, type: 'international' } });
  });

  test.each([
    ['a number too short for its country', ['--to', '090-123'], /^smsgw: ROUTE_NUMBER_TOO_SHORT: .*"090-123"/],
    ['a country that is not ISO 3166', ['--to', '090-1234-5678', '--country', 'Japan'], /^smsgw: ROUTE_INVALID_OPTION: .*"Japan"/],
  ])('%s: refused with its code, nothing on stdout', (_label, flags, message) => {
    const result = runCli(['pdu', 'encode', ...flags, '--text', 'hi']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});

describe('smsgw pdu decode', () => {
  test('one JSON object per PDU: deliver, status report', () => {
    // Sources: dreamfabric PDU-format tutorial (DELIVER); python-gsmmodem test/test_pdu.py (STATUS-REPORT).
    const result = runCli([
      'pdu',
      'decode',
      '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37',
      '0006D60B911326880736F4111011719551401110117195714000',
      // Source: python-gsmmodem test/test_pdu.py test_encodeSmsSubmit_concatenated (part 3 of 3).
      '0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D',
    ]);
    expect(result.status).toBe(0);
    const [deliver, report, submit] = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(submit).toMatchObject({
      type: 'submit',
      destination: { value: '+15125551234' },
      rejectDuplicates: true,
      udh: { length: 6, elements: [{ iei: 0, data: '000303' }], concat: { ref: 0, refSize: 8, total: 3, part: 3 } },
    });
    expect(deliver).toMatchObject({
      type: 'deliver',
      smsc: '+27381000015',
      originator: { value: '27838890001' },
      scts: { iso: '1999-03-29T13:16:59.000Z', tzQuarterHours: 8 },
      text: 'hellohello',
      udh: null,
    });
    expect(report).toMatchObject({
      type: 'status-report',
      messageReference: 214,
      recipient: { value: '+31628870634' },
      discharge: { iso: '2011-01-11T16:59:17.000Z' },
      status: { value: 0, state: 'delivered', final: true },
    });
  });

  test('--no-smsc and --direction', () => {
    const result = runCli(['pdu', 'decode', '--no-smsc', '--direction', 'mt', '060004802143113022415204631130224152046300']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'status-report', recipient: { value: '1234' } });
  });
});

describe('bad input: non-zero exit, one line on stderr, nothing on stdout', () => {
  test.each([
    ['invalid hex', ['pdu', 'decode', '0011ZZ'], 'CODEC_INVALID_HEX'],
    ['one bad PDU among good ones', ['pdu', 'decode', '0006D60B911326880736F4111011719551401110117195714000', '0004'], 'CODEC_TRUNCATED_PDU'],
    ['a bad destination', ['pdu', 'encode', '--to', '+12ab', '--text', 'hi'], 'ROUTE_NUMBER_UNPARSABLE'],
    ['an alphanumeric destination too long for TP-DA', ['pdu', 'encode', '--to', 'ACME-Logistics', '--text', 'hi'], 'CODEC_INVALID_ADDRESS'],
    ['too many parts', ['pdu', 'encode', '--to', '+447911123456', '--text', 'z'.repeat(400), '--max-parts', '2'], 'CODEC_TOO_MANY_PARTS'],
  ])('%s', (_name, args, code) => {
    const result = runCli(args);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(code);
  });

  test('a missing --to is a usage error', () => {
    const result = runCli(['pdu', 'encode', '--text', 'hi']);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
