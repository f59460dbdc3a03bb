/**
 * The new-campaign form turned into the API's form: a wall-clock time read in the account's zone (across daylight
 * saving changes), the start modes, the send window rules, pacing, validity and links, and the refusals with the
 * field they name.
 */
import { describe, expect, test } from 'vitest';
import { createFieldsOf, previewDigest, zonedInstant, type PostedForm } from '../../../api/console/pages/campaign-form.ts';
import { isCodedError } from '../../../common/index.ts';

function form(values: Record<string, string | string[]>, file?: Buffer): PostedForm {
  const fields = new Map(Object.entries(values).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));
  return { fields, ...(file === undefined ? {} : { file: { octets: file, filename: 'list.csv' } }) };
}

function refusal(run: () => unknown): { code: string; field: unknown } {
  try {
    run();
  } catch (error: unknown) {
    if (isCodedError(error)) return { code: error.code, field: (error.details as { field?: unknown } | undefined)?.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('zonedInstant', () => {
  test.each([
    ['2026-12-06T09:00', 'Asia/Tokyo', '2026-12-06T00:00:00.000Z'],
    ['2026-01-15T08:30', 'America/New_York', '2026-01-15T13:30:00.000Z'],
    ['2026-07-15T08:30', 'America/New_York', '2026-07-15T12:30:00.000Z'],
    // The morning daylight saving time starts (02:00 EST becomes 03:00 EDT).
    ['2026-03-08T01:30', 'America/New_York', '2026-03-08T06:30:00.000Z'],
    ['2026-03-08T03:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-10-25T12:00:30', 'Europe/London', '2026-10-25T12:00:30.000Z'],
  ])('%s in %s is %s', (local, zone, iso) => {
    expect(new Date(zonedInstant(local, zone, 'sendAt') ?? 0).toISOString()).toBe(iso);
  });

  test('empty is no time; a malformed or impossible date is refused naming the field', () => {
    expect(zonedInstant('', 'Asia/Tokyo', 'sendAt')).toBeUndefined();
    expect(refusal(() => zonedInstant('2026-02-30T10:00', 'Asia/Tokyo', 'sendAt'))).toEqual({ code: 'CAMPAIGN_INVALID_REQUEST', field: 'sendAt' });
    expect(refusal(() => zonedInstant('tomorrow', 'Asia/Tokyo', 'links.expiresAt'))).toEqual({ code: 'CAMPAIGN_INVALID_REQUEST', field: 'links.expiresAt' });
  });
});

describe('createFieldsOf', () => {
  test('start now ignores a date; a schedule and a draft keep it, in the account’s zone', () => {
    expect(createFieldsOf(form({ startMode: 'now', sendAt: '2099-01-01T09:00' }), 'Asia/Tokyo')).toEqual({ start: 'true' });
    expect(createFieldsOf(form({ startMode: 'schedule', sendAt: '2099-01-01T09:00', name: ' 新年 ' }), 'Asia/Tokyo')).toEqual({ name: '新年', start: 'true', sendAt: '2099-01-01T00:00:00.000Z' });
    expect(createFieldsOf(form({ startMode: 'draft' }), 'Asia/Tokyo')).toEqual({ start: 'false' });
    expect(refusal(() => createFieldsOf(form({ startMode: 'schedule' }), 'Asia/Tokyo'))).toEqual({ code: 'CAMPAIGN_INVALID_REQUEST', field: 'sendAt' });
  });

  test('an own window: the checked days in week order, an empty second rule left out, the zone when chosen', () => {
    const fields = createFieldsOf(
      form({ windowMode: 'own', window1Days: ['fri', 'mon', 'fri'], window1From: '09:00', window1To: '24:00', window2Days: [], window2From: '', window2To: '', windowZone: '' }),
      'Asia/Tokyo',
    );
    expect(JSON.parse(fields.sendWindow ?? '')).toEqual({ rules: [{ days: ['mon', 'fri'], from: '09:00', to: '24:00' }] });
    const zoned = createFieldsOf(form({ windowMode: 'own', window1Days: 'sat', window1From: '10:00', window1To: '18:00', window2Days: 'sun', window2From: '11:00', window2To: '17:00', windowZone: 'Asia/Tokyo' }), 'UTC');
    expect(JSON.parse(zoned.sendWindow ?? '')).toEqual({ rules: [{ days: ['sat'], from: '10:00', to: '18:00' }, { days: ['sun'], from: '11:00', to: '17:00' }], timeZone: 'Asia/Tokyo' });
    expect(createFieldsOf(form({ windowMode: 'account', window1Days: 'mon', window1From: '09:00', window1To: '10:00' }), 'UTC').sendWindow).toBeUndefined();
  });

  test.each([
    [{ windowMode: 'own' }, 'sendWindow.rules'],
    [{ windowMode: 'own', window1From: '09:00', window1To: '18:00' }, 'sendWindow.rules[0].days'],
    [{ windowMode: 'own', window1Days: 'mon', window1From: '9:00', window1To: '18:00' }, 'sendWindow.rules[0].from'],
    [{ windowMode: 'own', window1Days: 'mon', window1From: '09:00', window1To: '25:00' }, 'sendWindow.rules[0].to'],
    [{ windowMode: 'own', window1Days: 'someday', window1From: '09:00', window1To: '18:00' }, 'sendWindow.rules[0].days'],
    [{ paceValue: '0' }, 'pacing'],
    [{ paceValue: 'fast' }, 'pacing'],
    [{ validityMinutes: '0' }, 'validitySeconds'],
    [{ validityMinutes: '1.5' }, 'validitySeconds'],
    [{ linkMode: 'column', linkColumn: '' }, 'links.targetColumn'],
    [{ linkMode: 'target', linkTarget: '' }, 'links.target'],
    [{ startMode: 'later' }, 'startMode'],
  ])('%j is refused naming %s', (values, field) => {
    expect(refusal(() => createFieldsOf(form(values), 'Asia/Tokyo'))).toEqual({ code: 'CAMPAIGN_INVALID_REQUEST', field });
  });

  test('pacing, validity and links as the API form has them', () => {
    expect(createFieldsOf(form({ paceValue: '2.5', paceUnit: 'second', validityMinutes: '90', linkMode: 'column', linkColumn: 'url', linkExpires: '2099-01-01T00:00' }), 'Asia/Tokyo')).toEqual({
      start: 'true',
      pacing: '{"segmentsPerSecond":2.5}',
      validitySeconds: '5400',
      links: '{"targetColumn":"url","expiresAt":"2098-12-31T15:00:00.000Z"}',
    });
    expect(createFieldsOf(form({ paceValue: '3600', paceUnit: 'hour', linkMode: 'target', linkTarget: 'https://shop.example.jp/sale' }), 'UTC')).toMatchObject({
      pacing: '{"segmentsPerHour":3600}',
      links: '{"target":"https://shop.example.jp/sale"}',
    });
  });
});

describe('previewDigest', () => {
  const base = { template: 'Hi {{name}}', phoneColumn: 'phone', encoding: 'auto', name: 'x', paceValue: '' };
  const file = Buffer.from('phone,name\n09010000001,Ann\n');

  test('the same file and row fields give the same digest; settings that do not decide the rows do not change it', () => {
    const digest = previewDigest(form(base, file));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(previewDigest(form({ ...base, name: 'another name', paceValue: '5' }, file))).toBe(digest);
    // A browser's CRLF in the textarea is the LF the API reads.
    expect(previewDigest(form({ ...base, template: 'Hi\r\n{{name}}' }, file))).toBe(previewDigest(form({ ...base, template: 'Hi\n{{name}}' }, file)));
    expect(previewDigest(form({ ...base, template: 'Hi\n{{name}}' }, file))).not.toBe(digest);
  });

  test.each([
    ['the file', { ...base }, Buffer.from('phone,name\n09010000002,Ann\n')],
    ['the template', { ...base, template: 'Hello {{name}}' }, file],
    ['the phone column', { ...base, phoneColumn: 'name' }, file],
    ['the encoding', { ...base, encoding: 'shift_jis' }, file],
    ['the sender', { ...base, from: 'SHOP' }, file],
    ['the tag', { ...base, tag: 'sale' }, file],
    ['the duplicate rule', { ...base, duplicates: 'first' }, file],
  ])('%s changes it', (_what, values, octets) => {
    expect(previewDigest(form(values, octets))).not.toBe(previewDigest(form(base, file)));
  });

  test('no file: CAMPAIGN_INVALID_REQUEST naming the file', () => {
    expect(refusal(() => previewDigest(form(base)))).toEqual({ code: 'CAMPAIGN_INVALID_REQUEST', field: 'file' });
  });
});
