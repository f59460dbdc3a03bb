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

  test('withDetails adds facts without rewording: same class, code, message, stack and cause', () => {
    class LayerError extends CodedError<'X_BAD'> {}
    const cause = new Error('root');
    const error = new LayerError('X_BAD', spec, 'detail', { parts: 3 }, { cause });
    const named = error.withDetails({ field: 'text' });
    expect(named).toBeInstanceOf(LayerError);
    expect(named).not.toBe(error);
    expect(named).toMatchObject({ code: 'X_BAD', retriable: true, message: 'bad thing: detail', stack: error.stack, cause });
    expect(named.details).toEqual({ parts: 3, field: 'text' });
    expect(error.details).toEqual({ parts: 3 });
    expect(JSON.parse(JSON.stringify(named))).toMatchObject({ details: { parts: 3, field: 'text' } });
  });

  test('is recognised by shape, not by class identity', () => {
    expect(isCodedError(new CodedError('X_BAD', spec))).toBe(true);
    expect(isCodedError(Object.assign(new Error('x'), { code: 'X', retriable: false }))).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
    expect(isCodedError({ code: 'X', retriable: false })).toBe(false);
  });
});
