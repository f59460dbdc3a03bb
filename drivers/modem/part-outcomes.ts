/**
 * What one modem makes of a message: the SMS-SUBMIT PDUs of a request, AT+CMGS for each, and the judgement of a
 * failed submit from its typed facts. A part the network may have taken (written, then the link was lost or the
 * device said so) is unknown and never resent; a part that never left is retriable as not sent; a part the
 * network or the modem refused keeps the device's number as its carrier value.
 */
import { buildSubmitPdus, type SubmitPdu } from '../codec/index.ts';
import type { PartOutcome, SendRequest } from '../transport/index.ts';
import type { AtChannel, CommandFailure, SubmitResult } from './at-channel.ts';
import { isLinkLost, modemError, type ModemError } from './errors.ts';
import { isModemError } from './is-modem-error.ts';

/** The PDUs of a request, or the codec's refusal. Part numbers outside `onlyParts` are left out. */
export function submitPdus(request: SendRequest): SubmitPdu[] {
  const pdus = buildSubmitPdus(request.encoded, {
    to: request.to,
    srr: request.receipt,
    ...(request.validitySeconds === undefined ? {} : { validityMinutes: Math.max(5, Math.ceil(request.validitySeconds / 60)) }),
    ...(request.flash === true ? { flash: true } : {}),
  });
  return request.onlyParts === undefined ? pdus : pdus.filter((p) => request.onlyParts?.includes(p.seq));
}

/** AT+CMGS for one part; anything the channel throws unexpectedly counts as the port failing before the PDU left. */
export async function submitOn(channel: AtChannel, pdu: SubmitPdu): Promise<SubmitResult> {
  try {
    return await channel.submitPdu(pdu.tpduLength, pdu.hex);
  } catch (error) {
    const e = isModemError(error) ? error : modemError('MODEM_PORT_CLOSED', String(error), {}, { cause: error });
    return { ok: false, failure: { error: e, written: false, uncertain: false } };
  }
}

/** A part not handed to the modem at all (the modem is down, or an earlier part lost the link). */
export function notSent(cause: ModemError, seq: number, modem: string): PartOutcome {
  return { seq, status: 'failed', error: modemError('MODEM_NOT_SENT', `part ${seq}: ${cause.message}`, { modem, seq, reason: cause.code }) };
}

/** The outcome of a failed AT+CMGS, and whether the link is lost (the modem then goes down). */
export function judgeFailure(failure: CommandFailure, seq: number, modem: string): { readonly outcome: PartOutcome; readonly linkLost: boolean } {
  const { error: e, written, uncertain, raw } = failure;
  const linkLost = isLinkLost(e.code);
  if (written && (linkLost || uncertain)) {
    const error = modemError('MODEM_OUTCOME_UNKNOWN', `part ${seq} via ${modem}: ${e.message}`, { modem, seq, reason: e.code }, { cause: e });
    return { outcome: { seq, status: 'unknown', error }, linkLost };
  }
  if (linkLost) {
    const error = modemError('MODEM_NOT_SENT', `part ${seq}: ${e.message}`, { modem, seq, reason: e.code }, { cause: e });
    return { outcome: { seq, status: 'failed', error }, linkLost };
  }
  // The network or the modem refused this part: the next parts may still go.
  return { outcome: { seq, status: 'failed', error: e, ...(raw === undefined ? {} : { raw }) }, linkLost };
}
