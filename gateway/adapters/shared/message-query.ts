/** Filtering, ordering and cursors of message listings, shared by the store adapters. */
import type { MessageRecord } from '../../messages/message-record.ts';
import type { MessageQuery } from '../../ports/message-store.ts';

export interface CursorPosition {
  readonly createdAt: number;
  readonly id: string;
}

export function matchesQuery(record: MessageRecord, query: MessageQuery): boolean {
  const envelope = record.envelope;
  return (
    envelope.accountId === query.accountId &&
    (query.clientRef === undefined || envelope.clientRef === query.clientRef) &&
    (query.to === undefined || envelope.to === query.to) &&
    (query.status === undefined || record.status === query.status) &&
    (query.since === undefined || envelope.createdAt >= query.since) &&
    (query.until === undefined || envelope.createdAt < query.until)
  );
}

function position(value: MessageRecord | CursorPosition): CursorPosition {
  return 'envelope' in value ? { createdAt: value.envelope.createdAt, id: value.envelope.id } : value;
}

/** Sort order of listings: newest first, ties by id descending. Positive when `a` comes after `b`. */
export function newestFirst(a: MessageRecord | CursorPosition, b: MessageRecord | CursorPosition): number {
  const pa = position(a);
  const pb = position(b);
  if (pa.createdAt !== pb.createdAt) return pb.createdAt - pa.createdAt;
  return pa.id < pb.id ? 1 : pa.id > pb.id ? -1 : 0;
}

export function encodeCursor(record: MessageRecord): string {
  return Buffer.from(`${record.envelope.createdAt}:${record.envelope.id}`, 'utf8').toString('base64url');
}

/** Undefined for a cursor that is not one of ours (the API turns that into a 400). */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const createdAt = Number(text.slice(0, colon));
  if (colon <= 0 || !Number.isSafeInteger(createdAt) || colon === text.length - 1) return undefined;
  return { createdAt, id: text.slice(colon + 1) };
}
