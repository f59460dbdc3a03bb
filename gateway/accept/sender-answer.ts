import type { MessageEnvelope } from '../messages/message-record.ts';
import type { AcceptedMessage } from './accept-request.ts';

/**
 * What the 202 says about the originator: the one the first connector submits with (after sender rules) and, when
 * a sender rule rewrote it, the rule and what was asked. A refusal never gets here: it is ROUTE_SENDER_NOT_ALLOWED.
 */
export function senderAnswer(envelope: MessageEnvelope): Pick<AcceptedMessage, 'from' | 'senderRewritten'> {
  const used = envelope.senders?.[0] ?? envelope.from;
  return {
    ...(used === null ? {} : { from: used }),
    ...(envelope.senderRewrittenBy === undefined ? {} : { senderRewritten: { rule: envelope.senderRewrittenBy, requested: envelope.from } }),
  };
}
