import { describe, expect, test } from 'vitest';
import { CodedError, isCodedError } from '../../common/index.ts';

describe('CodedError', () => {
  const spec = { message: 'bad thing', retriable: true };

  test('carries code, retriable flag, details and a message naming the detail', () => {
    const error = new CodedError('X_BAD', spec, 'field "to"', { field: 'to' });
    expect(error.code).toBe('X_BAD');
    expect(error.retriable).toBe(true);
    expect(error.message).toBe('bad thing: field "to"');
    expect(error.details).toEqual({ field: 'to' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'X_BAD',
      message: 'bad thing: field "to"',
      retriable: true,
      details: { field: 'to' },
    });
  });

  test('is recognised by shape, not by class identity', () => {
    expect(isCodedError(new CodedError('X_BAD', spec))).toBe(true);
    expect(isCodedError(Object.assign(new Error('x'), { code: 'X', retriable: false }))).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
    expect(isCodedError({ code: 'X', retriable: false })).toBe(false);
  });
});
