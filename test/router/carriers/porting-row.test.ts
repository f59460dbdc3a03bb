import { describe, expect, test } from 'vitest';
import { isPortingHeader, knownCarriers, parsePortingRow } from '../../../router/index.ts';

describe('parsePortingRow', () => {
  test.each<[string[], string | undefined, object]>([
    [['+819012345678', 'au'], undefined, { e164: '+819012345678', carrier: 'au' }],
    [['819012345678', 'AU'], undefined, { e164: '+819012345678', carrier: 'au' }],
    [[' +819012345678 ', ' docomo '], undefined, { e164: '+819012345678', carrier: 'docomo' }],
    [['+819012345678', 'rakuten', '2024-04-01'], undefined, { e164: '+819012345678', carrier: 'rakuten', effectiveDate: '2024-04-01' }],
    [['+819012345678', 'rakuten', '2024-04-01T09:00:00+09:00'], undefined, { e164: '+819012345678', carrier: 'rakuten', effectiveDate: '2024-04-01T09:00:00+09:00' }],
    [['+819012345678', 'rakuten', ''], undefined, { e164: '+819012345678', carrier: 'rakuten' }],
    [['090-1234-5678', 'softbank'], 'JP', { e164: '+819012345678', carrier: 'softbank' }],
    [['0081-90-1234-5678', 'softbank'], undefined, { e164: '+819012345678', carrier: 'softbank' }],
  ])('%j (country %s) is accepted', (fields, country, record) => {
    expect(parsePortingRow(fields, { defaultCountry: country })).toEqual({ ok: true, record });
  });

  test.each<[string[], string | undefined, RegExp]>([
    [['+819012345678'], undefined, /expected 2 or 3 fields/],
    [['+819012345678', 'au', '2024-01-01', 'x'], undefined, /expected 2 or 3 fields/],
    [['09012345678', 'au'], undefined, /national; give a default country/],
    [['090-1234', 'au'], 'JP', /too short/],
    [['hello', 'au'], 'JP', /not a phone number/],
    [['+819012345678', ''], undefined, /carrier "" is not a carrier id/],
    [['+819012345678', 'N T T'], undefined, /carrier "N T T"/],
    [['+819012345678', 'au', 'next week'], undefined, /effective date "next week"/],
    [['+819012345678', 'au', '2024-13-45'], undefined, /effective date/],
    // E.164 in form but not a valid number for its country: too short, and a block not allocated (090-0...).
    [['+81901234', 'au'], undefined, /number "\+81901234": .*too short/],
    [['81901234', 'au'], undefined, /number "81901234": .*too short/],
    [['+819001234567', 'au'], undefined, /number "\+819001234567": .*not valid/],
  ])('%j is refused with a reason', (fields, country, reason) => {
    const result = parsePortingRow(fields, { defaultCountry: country });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  test.each([
    [['number', 'carrier'], true],
    [['msisdn', 'operator', 'effective_date'], true],
    [['+819012345678', 'au'], false],
  ])('%j is a header: %s', (fields, header) => {
    expect(isPortingHeader(fields)).toBe(header);
  });

  test('with knownCarriers, only those carriers pass; the refusal names the field and value', () => {
    const known = knownCarriers([[{ prefix: '8190', carrier: 'docomo', source: 'ranges' }]], { names: { rakuten: 'Rakuten Mobile' }, ranges: { '8170': 'au' }, defaults: { JP: 'softbank' } });
    expect([...known].sort()).toEqual(['au', 'docomo', 'rakuten', 'softbank']);
    for (const carrier of known) expect(parsePortingRow(['+819012345678', carrier], { knownCarriers: known }).ok).toBe(true);
    expect(parsePortingRow(['+819012345678', 'notacarrier'], { knownCarriers: known })).toEqual({
      ok: false,
      field: 'carrier',
      value: 'notacarrier',
      reason: expect.stringMatching(/carrier "notacarrier" is not a known carrier/) as unknown,
    });
    expect(parsePortingRow(['+81901234', 'docomo'], { knownCarriers: known })).toMatchObject({ ok: false, field: 'number', value: '+81901234' });
  });
});
