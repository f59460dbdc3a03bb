import { describe, expect, test } from 'vitest';
import { carrierKey, selectModem, type Candidate } from '../../../drivers/modem/select-modem.ts';

const modem = (id: string, carriers: string[], over: Partial<Candidate> = {}): Candidate => ({ id, up: true, rateOk: true, capOk: true, carriers, ...over });

describe('selectModem', () => {
  const pool = [modem('a', ['NTT DOCOMO']), modem('b', ['SoftBank']), modem('c', ['KDDI', 'au'])];

  test('round-robin cycles over eligible modems whatever the carrier', () => {
    let last = -1;
    const picked: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = selectModem(pool, 'round-robin', 'SoftBank', last);
      if (!s.ok || s.index === undefined) throw new Error('no pick');
      picked.push(s.id);
      last = s.index;
    }
    expect(picked).toEqual(['a', 'b', 'c', 'a']);
  });

  test.each([
    ['softbank', 'b', true],
    ['au', 'c', true],
    ['NTT-Docomo', 'a', true],
    ['Rakuten', 'a', false],
    [undefined, 'a', false],
  ])('carrier affinity for %s picks %s (on-net %s)', (carrier, id, onNet) => {
    expect(selectModem(pool, 'carrier-affinity', carrier, -1)).toMatchObject({ ok: true, id, onNet });
  });

  test('an on-net modem out of rate gives way to an off-net one', () => {
    const busy = [modem('a', ['docomo']), modem('b', ['softbank'], { rateOk: false })];
    expect(selectModem(busy, 'carrier-affinity', 'softbank', -1)).toMatchObject({ ok: true, id: 'a', onNet: false });
  });

  test.each([
    [[modem('a', [], { up: false })], 'none-up'],
    [[modem('a', [], { rateOk: false }), modem('b', [], { up: false })], 'rate-limited'],
    [[modem('a', [], { capOk: false })], 'daily-cap'],
    [[], 'none-up'],
  ])('refusal %#: %s', (candidates, reason) => {
    expect(selectModem(candidates, 'round-robin', undefined, -1)).toEqual({ ok: false, reason });
  });

  test('carrierKey folds case and punctuation', () => {
    expect(carrierKey('Vodafone UK')).toBe(carrierKey('vodafone-uk'));
  });
});
