import { randomUUID } from 'node:crypto';
import type { SuppressionEvent } from '../events/gateway-event.ts';
import type { SuppressionSource } from '../ports/suppression-store.ts';
import type { SuppressionChange } from './suppression-service.ts';

/** The event of a stored suppression change (a fresh id: a Kafka replay carries the same record, hence the same id). */
export function suppressionEvent(change: SuppressionChange, id: string = randomUUID()): SuppressionEvent {
  const { entry } = change;
  return {
    type: 'suppression.changed',
    version: 1,
    id,
    accountId: entry.accountId,
    action: change.action,
    number: entry.number,
    ...(entry.sender === undefined ? {} : { sender: entry.sender }),
    reason: entry.reason,
    source: sourceView(change.source),
    at: new Date(change.at).toISOString(),
    ...(change.action === 'lifted' ? { since: new Date(entry.createdAt).toISOString() } : {}),
  };
}

/** Only the source's declared fields go out, whatever else an adapter may have kept on it. */
function sourceView(source: SuppressionSource): SuppressionSource {
  return {
    kind: source.kind,
    ...(source.detail === undefined ? {} : { detail: source.detail }),
    ...(source.connector === undefined ? {} : { connector: source.connector }),
  };
}
