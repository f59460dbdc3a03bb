import type { VerificationEvent } from '../events/gateway-event.ts';
import type { VerificationChange } from './verification-service.ts';
import { verificationStepId } from './verification-stats.ts';

/** The event of a verification step; its id is the step's own, so a replay or a second sweeper's copy is dropped. */
export function verificationEvent(change: VerificationChange): VerificationEvent {
  const { record } = change;
  return {
    type: 'verification.status',
    version: 1,
    id: verificationStepId(record, change.kind),
    verificationId: record.id,
    accountId: record.accountId,
    to: record.to,
    status: change.kind,
    verification: record.status,
    at: new Date(change.at).toISOString(),
    attemptsLeft: Math.max(0, record.maxAttempts - record.attempts),
    sends: record.sends,
    expiresAt: new Date(record.expiresAt).toISOString(),
    ...(change.messageId === undefined ? {} : { messageId: change.messageId }),
    ...(record.clientRef === undefined ? {} : { clientRef: record.clientRef }),
  };
}
