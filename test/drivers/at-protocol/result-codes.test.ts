import { describe, expect, test } from 'vitest';
import { CME_CODES, CMS_CODES, cmeCode, cmsCode, failureLine, parseFinal, type AtFailure } from '../../../drivers/at-protocol/index.ts';

describe('final result codes', () => {
  test.each<[AtFailure, number, string]>([
    [{ kind: 'cms', code: 38 }, 0, 'ERROR'],
    [{ kind: 'cms', code: 38 }, 1, '+CMS ERROR: 38'],
    [{ kind: 'cms', code: 38 }, 2, '+CMS ERROR: network out of order'],
    [{ kind: 'cms', code: 27 }, 2, '+CMS ERROR: destination out of service'],
    [{ kind: 'cme', code: 16 }, 2, '+CME ERROR: incorrect password'],
    [{ kind: 'cme', code: 999 }, 2, '+CME ERROR: unknown error 999'],
    [{ kind: 'plain' }, 2, 'ERROR'],
  ])('%j with AT+CMEE=%i is %s', (failure, cmee, line) => {
    expect(failureLine(failure, cmee)).toBe(line);
  });

  test.each<[AtFailure, FinalResultShape]>([
    [{ kind: 'cms', code: 38 }, { kind: 'cms', code: 38 }],
    [{ kind: 'cme', code: 10 }, { kind: 'cme', code: 10 }],
    [{ kind: 'plain' }, { kind: 'error' }],
  ])('what the virtual modem writes for %j the driver reads back', (failure, shape) => {
    for (const cmee of [1, 2]) {
      const read = parseFinal(failureLine(failure, cmee));
      expect(read?.kind).toBe(shape.kind);
      if (cmee === 1 && shape.code !== undefined) expect(read).toMatchObject({ code: shape.code });
    }
  });

  test.each([
    [CMS_CODES, [1, 21, 27, 38, 41, 42, 300, 304, 305, 310, 311, 316, 321, 322, 330, 331, 332, 500]],
    [CME_CODES, [3, 4, 10, 11, 12, 13, 14, 16, 30, 50]],
  ])('device code table %# names the codes a messaging modem gives', (table, codes) => {
    for (const code of codes) expect(table[code]?.name, `code ${code}`).toMatch(/\w/);
  });

  test('codes outside the tables are temporary', () => {
    expect(cmsCode(77)).toEqual({ name: 'unknown cause', retriable: true });
    expect(cmsCode(600)).toEqual({ name: 'manufacturer specific', retriable: true });
    expect(cmeCode(999)).toEqual({ name: 'unknown cause', retriable: true });
    expect(cmsCode(332).uncertain).toBe(true);
  });
});

interface FinalResultShape {
  readonly kind: string;
  readonly code?: number;
}
