/**
 * The ESME's judgement of a query_sm answer (decoded by the protocol's `decodeQueryAnswer`): a generic_nack or an
 * error status becomes a typed SMPP_QUERY_* error, an unreadable answer SMPP_PROTOCOL, and a query_sm_resp body the
 * part's state with its raw carrier values.
 */
import { MESSAGE_STATE_TO_RECEIPT_STATE, isFinalState } from '../codec/index.ts';
import { STATUS, parseAbsoluteTime, type QueryAnswer } from '../smpp-protocol/index.ts';
import type { QueryOutcome } from '../transport/index.ts';
import { protocolError, queryStatusError } from './errors.ts';

/**
 * The outcome of a query for `carrierMessageId` (the normalized id the gateway knows, kept in the outcome whatever
 * spelling travelled). A message_state outside section 5.2.28 is state `unknown`, not final: nothing says it ended.
 */
export function judgeQueryAnswer(answer: QueryAnswer, carrierMessageId: string, details: Record<string, unknown> = {}): QueryOutcome {
  if (answer.problems.length > 0) return { status: 'failed', error: protocolError(answer.problems, { ...details, command: answer.command }) };
  const body = answer.body;
  if (body === undefined) {
    // A generic_nack without a status still says the command was not understood.
    const status = answer.command === 'generic_nack' && answer.status === STATUS.ESME_ROK ? STATUS.ESME_RINVCMDID : answer.status;
    return { status: 'failed', error: queryStatusError(status, { ...details, command: answer.command }) };
  }
  const known = MESSAGE_STATE_TO_RECEIPT_STATE[body.messageState];
  const state = known ?? 'unknown';
  const doneAt = parseAbsoluteTime(body.finalDate);
  return {
    status: 'found',
    carrierMessageId,
    state,
    final: known !== undefined && isFinalState(state),
    raw: {
      messageState: body.messageState,
      errorCode: body.errorCode,
      ...(body.finalDate === '' ? {} : { finalDate: body.finalDate }),
    },
    ...(doneAt === undefined ? {} : { doneAt }),
  };
}
