/**
 * The published JSON Schemas of the Kafka records: records built by the gateway's own builders pass, broken ones
 * fail naming the field, and the schemas' enums are the TypeScript constants (so the two cannot drift apart).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { describeSchemaError } from '../../../common/index.ts';
import { RECEIPT_STATES } from '../../../drivers/codec/index.ts';
import type { Receipt } from '../../../drivers/transport/index.ts';
import { partEvent } from '../../../gateway/events/gateway-event.ts';
import {
  MESSAGE_STATUSES,
  PART_STATUSES,
  inboundEvent,
  partViews,
  receiptRecord,
  statusEvent,
  type InboundEvent,
  type MessageRecord,
  type UnmatchedReceiptRecord,
} from '../../../gateway/index.ts';
import { SUPPRESSION_REASONS } from '../../../gateway/ports/suppression-store.ts';
import { suppressionEvent } from '../../../gateway/suppressions/suppression-event.ts';
import { verificationEvent } from '../../../gateway/verification/verification-event.ts';
import { linkClickedEvent } from '../../../gateway/short-links/link-clicked-event.ts';
import type { VerificationRecord } from '../../../gateway/ports/verification-store.ts';
import { campaignStatusEvent } from '../../../gateway/campaigns/campaign-status-event.ts';
import { CAMPAIGN_STATES, RECIPIENT_STATUSES, type CampaignRecord } from '../../../gateway/ports/campaign-store.ts';
import { makeRecord } from '../adapters/message-backend.contract.ts';

const SCHEMA_DIR = fileURLToPath(new URL('../../../gateway/events/schemas/', import.meta.url));
const TYPES = ['message.status', 'message.part', 'message.inbound', 'receipt.raw', 'receipt.unmatched', 'suppression.changed', 'verification.status', 'link.clicked', 'campaign.status'] as const;
type RecordType = (typeof TYPES)[number];

interface Schema {
  readonly $id: string;
  readonly properties: Record<string, { const?: unknown; enum?: unknown[] }>;
  readonly required: string[];
  readonly definitions?: Record<string, { properties: Record<string, { enum?: unknown[] }> }>;
}

const schemas = Object.fromEntries(TYPES.map((type) => [type, JSON.parse(readFileSync(`${SCHEMA_DIR}${type}.schema.json`, 'utf8')) as Schema])) as Record<RecordType, Schema>;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
// ajv-formats is CommonJS: under NodeNext its callable export sits on `default`.
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);

function errorsOf(type: RecordType, value: unknown): ErrorObject[] {
  const validate = ajv.getSchema(schemas[type].$id);
  if (validate === undefined) throw new Error(`no schema ${type}`);
  return validate(value) ? [] : (validate.errors ?? []);
}

const fields = (errors: readonly ErrorObject[]): string[] => errors.map((error) => describeSchemaError(error).field);

const T0 = Date.parse('2025-11-21T04:00:00.000Z');

/** A 3-part message part-way through delivery: one part delivered with carrier values, one failed, one pending. */
function deliveringRecord(): MessageRecord {
  const base = makeRecord({ id: 'msg-01HX9', clientRef: 'order-7' });
  const [first, second, third] = base.parts;
  if (first === undefined || second === undefined || third === undefined) throw new Error('expected a 3-part message');
  return {
    ...base,
    envelope: { ...base.envelope, callbackUrl: 'https://client.example/cb' },
    status: 'sending',
    parts: [
      { seq: first.seq, status: 'delivered', connectorId: 'smsc-a', carrierMessageId: '4f2a', raw: { stat: 'DELIVRD', err: '000', messageState: 2 }, submittedAt: T0, doneAt: T0 + 4_000 },
      { seq: second.seq, status: 'failed', connectorId: 'smsc-b', error: { code: 'SMPP_THROTTLED', message: 'throttled' }, submittedAt: T0 },
      { seq: third.seq, status: 'pending' },
    ],
  };
}

const receipt: Receipt = {
  connectorId: 'smsc-a',
  carrierMessageId: '4f2a',
  state: 'delivered',
  final: true,
  raw: { stat: 'DELIVRD', err: '000', text: 'hello' },
  submittedAt: new Date(T0),
  doneAt: new Date(T0 + 4_000),
  receivedAt: new Date(T0 + 4_200),
};

const inbound: InboundEvent = {
  type: 'message.inbound',
  version: 1,
  id: '6d1f0c1e-2a8e-4d43-9d6e-0d1b0c4c1a11',
  accountId: null,
  connector: 'modem-1',
  from: '+819011112222',
  to: '+819033334444',
  text: 'STOP',
  encoding: 'gsm7',
  parts: 1,
  complete: true,
  receivedAt: new Date(T0).toISOString(),
};

const keyword = { kind: 'keyword', detail: 'STOP', connector: 'modem-1' } as const;

function built(): Record<RecordType, unknown[]> {
  const record = deliveringRecord();
  const raw = receiptRecord(receipt);
  const unmatched: UnmatchedReceiptRecord = { type: 'receipt.unmatched', version: 1, id: `${raw.id}:parked`, reason: 'no-matching-part', parkedAt: new Date(T0 + 60_000).toISOString(), receipt: raw };
  const unreadable: UnmatchedReceiptRecord = { type: 'receipt.unmatched', version: 1, id: 'unreadable:1', reason: 'unreadable', parkedAt: new Date(T0).toISOString(), payload: '{"type":"receipt.raw"' };
  return {
    'message.status': [statusEvent(record, T0 + 5_000), statusEvent(makeRecord(), T0)],
    'message.part': partViews(record).map((part) => partEvent(record.envelope.id, part, T0 + 5_000)),
    'message.inbound': [
      inbound,
      { ...inbound, accountId: 'acct-a', encoding: 'ucs2', parts: 2, complete: false },
      inboundEvent(
        { connectorId: 'smsc-a', from: '+819011112222', to: '+819033334444', text: '', encoding: 'binary', binary: Uint8Array.of(0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0), parts: 1, complete: true, receivedAt: new Date(T0) },
        '7e2f0c1e-2a8e-4d43-9d6e-0d1b0c4c1a12',
        'acct-a',
      ),
    ],
    'receipt.raw': [raw, receiptRecord({ connectorId: 'm', carrierMessageId: '17', state: 'enroute', final: false, raw: {}, receivedAt: new Date(T0) })],
    'receipt.unmatched': [unmatched, unreadable],
    'suppression.changed': [
      suppressionEvent({ action: 'suppressed', at: T0, source: keyword, entry: { accountId: 'acct-a', number: '+819011112222', reason: 'opt-out', source: keyword, createdAt: T0 } }),
      suppressionEvent({
        action: 'lifted',
        at: T0 + 60_000,
        source: { kind: 'api', detail: 'key 0123abcd' },
        entry: { accountId: 'acct-a', number: '+819011112222', sender: '+81311112222', reason: 'manual', source: { kind: 'operator' }, createdAt: T0, note: 'asked by phone' },
      }),
    ],
    'verification.status': [
      verificationEvent({ kind: 'sent', record: verification, at: T0, messageId: 'm-1' }),
      verificationEvent({ kind: 'max_attempts_reached', record: { ...verification, status: 'max_attempts_reached', attempts: 3, clientRef: 'login-1' }, at: T0 + 60_000 }),
    ],
    'link.clicked': [
      linkClickedEvent({ link: { ...shortLink, clicks: 1, firstClickAt: T0 + 1_000, lastClickAt: T0 + 1_000 }, at: T0 + 1_000, kind: 'human', first: true }),
      linkClickedEvent({ link: { ...shortLink, clicks: 2, botClicks: 1, firstClickAt: T0 + 1_000, lastClickAt: T0 + 2_000 }, at: T0 + 2_000, kind: 'human', first: false }),
      linkClickedEvent({ link: { code: 'Bot0000001', accountId: 'acct-a', target: 'http://example.com/', expiresAt: T0 + 60_000, createdAt: T0, clicks: 0, botClicks: 1 }, at: T0, kind: 'bot', first: false }),
    ],
    'campaign.status': [
      campaignStatusEvent({ ...campaign, state: 'paused', revision: 2, cursor: 1_200, stamps: { startedAt: T0 + 1_000, pausedAt: T0 + 600_000 }, counts: { ...campaign.counts, pending: 8_800, queued: 40, sent: 60, delivered: 1_090, failed: 10, clicked: 300 } }),
      campaignStatusEvent(unnamedCampaign),
    ],
  };
}

const shortLink = {
  code: 'Abc123XYZ0',
  accountId: 'acct-a',
  target: 'https://shop.example.jp/sale?x=1',
  expiresAt: T0 + 86_400_000,
  createdAt: T0,
  messageId: 'm-1',
  campaignId: 'spring',
  recipient: '+819011112222',
  clicks: 0,
  botClicks: 0,
};

const campaign: CampaignRecord = {
  id: '0b8f3c1e-2a8e-4d43-9d6e-0d1b0c4c1a13',
  accountId: 'acct-a',
  name: '12月のご請求',
  template: '{{氏名}}様 ご請求額は{{金額}}円です {{link}}',
  options: { tag: 'campaign', pacing: { segmentsPerHour: 20_000 } },
  total: 10_000,
  segments: 10_400,
  createdAt: T0,
  state: 'draft',
  stamps: {},
  cursor: 0,
  revision: 0,
  counts: { pending: 10_000, queued: 0, sent: 0, delivered: 0, failed: 0, canceled: 0, clicked: 0 },
};

const { name: _name, ...unnamedCampaign } = campaign;

const verification: VerificationRecord = {
  id: 'a1b2c3d4verification',
  accountId: 'acct-a',
  to: '+819011112222',
  status: 'pending',
  digest: 'f'.repeat(64),
  createdAt: T0,
  updatedAt: T0,
  expiresAt: T0 + 300_000,
  maxAttempts: 3,
  attempts: 0,
  sends: 1,
  lastSentAt: T0,
  messageIds: ['m-1'],
  locale: 'ja',
  codeLength: 6,
};

describe('Kafka record schemas', () => {
  test('a binary inbound message carries its octets as base64 beside an empty text', () => {
    const binary = built()['message.inbound'][2] as InboundEvent;
    expect(binary).toMatchObject({ text: '', encoding: 'binary', binary: 'BgUEC4Qj8A==' });
    expect(Buffer.from(binary.binary ?? '', 'base64')).toEqual(Buffer.from([0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0]));
  });

  test('one schema file per record type, each with its $id and type/version constants', () => {
    expect(readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.schema.json')).sort()).toEqual(TYPES.map((type) => `${type}.schema.json`).sort());
    for (const type of TYPES) {
      const schema = schemas[type];
      expect(schema.$id).toContain(type);
      expect(schema.properties.type?.const).toBe(type);
      expect(schema.properties.version?.const).toBe(1);
      expect(schema.required).toEqual(expect.arrayContaining(['type', 'version', 'id']));
    }
  });

  test('records built by the gateway builders are valid', () => {
    const records = built();
    for (const type of TYPES) {
      expect(records[type].length).toBeGreaterThan(0);
      for (const record of records[type]) expect({ type, errors: errorsOf(type, record) }).toEqual({ type, errors: [] });
    }
    // The realistic status event really carries the optional fields the schema describes.
    const [status] = records['message.status'] as [Record<string, unknown>];
    expect(Object.keys(status)).toEqual(expect.arrayContaining(['clientRef', 'callbackUrl', 'parts']));
  });

  test('the enums are the TypeScript constants', () => {
    const status = schemas['message.status'];
    expect(status.properties.status?.enum).toEqual([...MESSAGE_STATUSES]);
    expect(status.definitions?.part?.properties.status?.enum).toEqual([...PART_STATUSES]);
    expect(schemas['message.part'].properties.status?.enum).toEqual([...PART_STATUSES]);
    expect(schemas['receipt.raw'].properties.state?.enum).toEqual([...RECEIPT_STATES]);
    expect(schemas['suppression.changed'].properties.reason?.enum).toEqual([...SUPPRESSION_REASONS]);
    expect(schemas['campaign.status'].properties.state?.enum).toEqual([...CAMPAIGN_STATES]);
    const counts = schemas['campaign.status'].properties.counts as unknown as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(counts.properties)).toEqual([...RECIPIENT_STATUSES, 'clicked']);
    expect(counts.required).toEqual([...RECIPIENT_STATUSES, 'clicked']);
  });

  describe('broken records are rejected, naming the field', () => {
    const cases: { name: string; type: RecordType; break: (record: Record<string, unknown>) => unknown; field: string }[] = [
      { name: 'missing messageId', type: 'message.status', break: ({ messageId: _, ...rest }) => rest, field: 'messageId' },
      { name: 'unknown status', type: 'message.status', break: (r) => ({ ...r, status: 'sent' }), field: 'status' },
      { name: 'extra field', type: 'message.status', break: (r) => ({ ...r, priority: 'high' }), field: 'priority' },
      { name: 'unknown part status', type: 'message.status', break: (r) => ({ ...r, parts: [{ seq: 1, status: 'done' }] }), field: 'parts.0.status' },
      { name: 'extra part field', type: 'message.part', break: (r) => ({ ...r, attempt: 2 }), field: 'attempt' },
      { name: 'missing seq', type: 'message.part', break: ({ seq: _, ...rest }) => rest, field: 'seq' },
      { name: 'unknown receipt state', type: 'receipt.raw', break: (r) => ({ ...r, state: 'DELIVRD' }), field: 'state' },
      { name: 'time not ISO', type: 'receipt.raw', break: (r) => ({ ...r, receivedAt: 'yesterday' }), field: 'receivedAt' },
      { name: 'wrong version', type: 'message.inbound', break: (r) => ({ ...r, version: 2 }), field: 'version' },
      { name: 'missing text', type: 'message.inbound', break: ({ text: _, ...rest }) => rest, field: 'text' },
      { name: 'binary not base64', type: 'message.inbound', break: (r) => ({ ...r, binary: '06:05:04' }), field: 'binary' },
      { name: 'unknown action', type: 'suppression.changed', break: (r) => ({ ...r, action: 'removed' }), field: 'action' },
      { name: 'number not E.164', type: 'suppression.changed', break: (r) => ({ ...r, number: '090-1111-2222' }), field: 'number' },
      { name: 'an API key in the source', type: 'suppression.changed', break: (r) => ({ ...r, source: { kind: 'api', apiKey: 'secret' } }), field: 'source.apiKey' },
      { name: 'a code in a verification event', type: 'verification.status', break: (r) => ({ ...r, code: '123456' }), field: 'code' },
      { name: 'the digest in a verification event', type: 'verification.status', break: (r) => ({ ...r, digest: 'f'.repeat(64) }), field: 'digest' },
      { name: 'unknown verification step', type: 'verification.status', break: (r) => ({ ...r, status: 'checked' }), field: 'status' },
      { name: 'unknown click kind', type: 'link.clicked', break: (r) => ({ ...r, kind: 'preview' }), field: 'kind' },
      { name: 'a click token in a click event', type: 'link.clicked', break: (r) => ({ ...r, token: 'abc.def' }), field: 'token' },
      { name: 'recipient not E.164', type: 'link.clicked', break: (r) => ({ ...r, recipient: '090-1111-2222' }), field: 'recipient' },
      { name: 'unknown campaign state', type: 'campaign.status', break: (r) => ({ ...r, state: 'sending' }), field: 'state' },
      { name: 'a count of no status', type: 'campaign.status', break: (r) => ({ ...r, counts: { ...(r.counts as object), opened: 3 } }), field: 'counts.opened' },
      { name: 'a recipient list in a campaign event', type: 'campaign.status', break: (r) => ({ ...r, to: ['+819011112222'] }), field: 'to' },
      { name: 'time not ISO in times', type: 'campaign.status', break: (r) => ({ ...r, times: { pausedAt: 'yesterday' } }), field: 'times.pausedAt' },
      { name: 'parked without the receipt', type: 'receipt.unmatched', break: ({ receipt: _, ...rest }) => rest, field: 'receipt' },
      { name: 'parked receipt with an extra field', type: 'receipt.unmatched', break: (r) => ({ ...r, receipt: { ...(r.receipt as object), extra: 1 } }), field: 'receipt.extra' },
    ];
    for (const c of cases) {
      test(`${c.type}: ${c.name}`, () => {
        const [record] = built()[c.type] as [Record<string, unknown>];
        expect(errorsOf(c.type, record)).toEqual([]);
        expect(fields(errorsOf(c.type, c.break(record)))).toContain(c.field);
      });
    }
  });
});
