/**
 * query_sm as the simulated SMSC answers it (SMPP 3.4 section 4.8; the PDUs are read and written by the protocol
 * module). A message is found by the id submit_sm_resp gave it, for the account that submitted it and the originator
 * it was submitted from; anything else is ESME_RQUERYFAIL, as an SMSC answers for an id it does not know.
 */
import { MESSAGE_STATE_BY_STAT, STATUS, formatAbsoluteTime, type QuerySm, type QuerySmRespBody } from '../../drivers/smpp-protocol/index.ts';
import type { PartState } from './message-records.ts';

/** The answer to a query: the state of the part, or the command_status when it is not this account's to know. */
export function queryAnswer(request: QuerySm, state: PartState | undefined, systemId: string): { status: 0; fields: QuerySmRespBody } | { status: number } {
  const stripPlus = (a: string): string => (a.startsWith('+') ? a.slice(1) : a);
  if (state === undefined || state.systemId !== systemId || stripPlus(state.from) !== stripPlus(request.sourceAddr)) {
    return { status: STATUS.ESME_RQUERYFAIL };
  }
  return {
    status: 0,
    fields: {
      messageId: request.messageId,
      finalDate: state.doneAt === undefined ? '' : formatAbsoluteTime(state.doneAt),
      messageState: MESSAGE_STATE_BY_STAT[state.stat],
      // Appendix B `err` runs to 999; error_code is one octet.
      errorCode: Math.min(state.err, 0xff),
    },
  };
}
