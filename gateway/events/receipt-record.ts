/**
 * Receipts as records on the receipts topic and back. The record keeps every carrier value the driver saw, so
 * the status updater (possibly another process) applies exactly what the carrier said.
 */
import type { Receipt } from '../../drivers/transport/index.ts';
import { RECEIPT_STATES, type ReceiptState } from '../../drivers/codec/index.ts';
import type { ReceiptRecord, UnmatchedReceiptRecord } from './gateway-event.ts';

/** The Kafka key of a receipt: one SMSC message's receipts stay in order on one partition. */
export function receiptKey(connector: string, smscMessageId: string): string {
  return `${connector}:${smscMessageId}`;
}

export function receiptRecord(receipt: Receipt): ReceiptRecord {
  const raw: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(receipt.raw)) if (value !== undefined) raw[key] = value;
  return {
    type: 'receipt.raw',
    version: 1,
    id: `${receipt.connectorId}:${receipt.carrierMessageId}:${receipt.state}`,
    connector: receipt.connectorId,
    smscMessageId: receipt.carrierMessageId,
    state: receipt.state,
    final: receipt.final,
    raw,
    ...(receipt.submittedAt === undefined ? {} : { submittedAt: receipt.submittedAt.toISOString() }),
    ...(receipt.doneAt === undefined ? {} : { doneAt: receipt.doneAt.toISOString() }),
    receivedAt: receipt.receivedAt.toISOString(),
  };
}

/** The receipt a record stands for, or undefined when the record is not a readable version-1 receipt. */
export function receiptFromRecord(value: unknown): Receipt | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<Record<keyof ReceiptRecord, unknown>>;
  if (record.type !== 'receipt.raw' || record.version !== 1) return undefined;
  if (typeof record.connector !== 'string' || typeof record.smscMessageId !== 'string' || typeof record.final !== 'boolean') return undefined;
  if (typeof record.state !== 'string' || !(RECEIPT_STATES as readonly string[]).includes(record.state)) return undefined;
  const receivedAt = dateOf(record.receivedAt);
  if (receivedAt === undefined) return undefined;
  const raw = typeof record.raw === 'object' && record.raw !== null ? (record.raw as Receipt['raw']) : {};
  const submittedAt = dateOf(record.submittedAt);
  const doneAt = dateOf(record.doneAt);
  return {
    connectorId: record.connector,
    carrierMessageId: record.smscMessageId,
    state: record.state as ReceiptState,
    final: record.final,
    raw,
    receivedAt,
    ...(submittedAt === undefined ? {} : { submittedAt }),
    ...(doneAt === undefined ? {} : { doneAt }),
  };
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A receipt no part claimed, or a record that was no receipt, as kept on the dead-letter topic. */
export function parkedReceipt(reason: UnmatchedReceiptRecord['reason'], at: Date, what: { readonly receipt?: Receipt; readonly payload?: string }): UnmatchedReceiptRecord {
  const parkedAt = at.toISOString();
  const receipt = what.receipt === undefined ? undefined : receiptRecord(what.receipt);
  return {
    type: 'receipt.unmatched',
    version: 1,
    id: receipt === undefined ? `unreadable:${parkedAt}:${Math.random().toString(36).slice(2)}` : `${receipt.id}:parked`,
    reason,
    parkedAt,
    ...(receipt === undefined ? {} : { receipt }),
    ...(what.payload === undefined ? {} : { payload: what.payload }),
  };
}
