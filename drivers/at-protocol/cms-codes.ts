/**
 * 3GPP TS 27.005 clause 3.2.5, "Message Service Failure Result Code +CMS ERROR: <err>".
 *   0...127   3GPP TS 24.011 clause E.2 values (RP-Cause of the network's RP-ERROR, mobile originating)
 *   128...255 3GPP TS 23.040 clause 9.2.3.22 values (TP-Failure-Cause)
 *   300...    errors of the ME/TA itself (27.005 clause 3.2.5); 512... manufacturer specific
 * Names are the specs' own (lower-cased): the driver puts them in errors, the virtual modem prints them under
 * AT+CMEE=2. 22 is E.3's (mobile terminating) name; modems give it for MO transfers too.
 * `retriable`: the same message may succeed later (congestion, no service, SIM busy).
 * `uncertain`: the network may have taken the message before the failure was reported.
 */
export interface CmsCode {
  readonly name: string;
  readonly retriable: boolean;
  readonly uncertain?: boolean;
}

export const CMS_CODES: Readonly<Record<number, CmsCode>> = {
  // 24.011 E.2 RP-Cause
  1: { name: 'unassigned (unallocated) number', retriable: false },
  8: { name: 'operator determined barring', retriable: false },
  10: { name: 'call barred', retriable: false },
  21: { name: 'short message transfer rejected', retriable: false },
  22: { name: 'memory capacity exceeded', retriable: true },
  27: { name: 'destination out of service', retriable: true },
  28: { name: 'unidentified subscriber', retriable: false },
  29: { name: 'facility rejected', retriable: false },
  30: { name: 'unknown subscriber', retriable: false },
  38: { name: 'network out of order', retriable: true },
  41: { name: 'temporary failure', retriable: true },
  42: { name: 'congestion', retriable: true },
  47: { name: 'resources unavailable, unspecified', retriable: true },
  50: { name: 'requested facility not subscribed', retriable: false },
  69: { name: 'requested facility not implemented', retriable: false },
  81: { name: 'invalid short message transfer reference value', retriable: true },
  95: { name: 'invalid message, unspecified', retriable: false },
  96: { name: 'invalid mandatory information', retriable: false },
  97: { name: 'message type non-existent or not implemented', retriable: false },
  98: { name: 'message not compatible with short message protocol state', retriable: true },
  99: { name: 'information element non-existent or not implemented', retriable: false },
  111: { name: 'protocol error, unspecified', retriable: true },
  127: { name: 'interworking, unspecified', retriable: true },
  // 23.040 9.2.3.22 TP-Failure-Cause
  128: { name: 'telematic interworking not supported', retriable: false },
  129: { name: 'short message type 0 not supported', retriable: false },
  130: { name: 'cannot replace short message', retriable: false },
  143: { name: 'unspecified TP-PID error', retriable: false },
  144: { name: 'data coding scheme (alphabet) not supported', retriable: false },
  145: { name: 'message class not supported', retriable: false },
  159: { name: 'unspecified TP-DCS error', retriable: false },
  160: { name: 'command cannot be actioned', retriable: false },
  161: { name: 'command unsupported', retriable: false },
  175: { name: 'unspecified TP-Command error', retriable: false },
  176: { name: 'TPDU not supported', retriable: false },
  192: { name: 'SC busy', retriable: true },
  193: { name: 'no SC subscription', retriable: false },
  194: { name: 'SC system failure', retriable: true },
  195: { name: 'invalid SME address', retriable: false },
  196: { name: 'destination SME barred', retriable: false },
  197: { name: 'SM rejected-duplicate SM', retriable: false },
  198: { name: 'TP-VPF not supported', retriable: false },
  199: { name: 'TP-VP not supported', retriable: false },
  208: { name: '(U)SIM SMS storage full', retriable: true },
  209: { name: 'no SMS storage capability in (U)SIM', retriable: false },
  210: { name: 'error in MS', retriable: true },
  211: { name: 'memory capacity exceeded', retriable: true },
  212: { name: '(U)SIM application toolkit busy', retriable: true },
  213: { name: '(U)SIM data download error', retriable: true },
  255: { name: 'unspecified error cause', retriable: false },
  // 27.005 3.2.5 ME/TA errors
  300: { name: 'ME failure', retriable: true },
  301: { name: 'SMS service of ME reserved', retriable: true },
  302: { name: 'operation not allowed', retriable: false },
  303: { name: 'operation not supported', retriable: false },
  304: { name: 'invalid PDU mode parameter', retriable: false },
  305: { name: 'invalid text mode parameter', retriable: false },
  310: { name: '(U)SIM not inserted', retriable: false },
  311: { name: '(U)SIM PIN required', retriable: false },
  312: { name: 'PH-(U)SIM PIN required', retriable: false },
  313: { name: '(U)SIM failure', retriable: false },
  314: { name: '(U)SIM busy', retriable: true },
  315: { name: '(U)SIM wrong', retriable: false },
  316: { name: '(U)SIM PUK required', retriable: false },
  317: { name: '(U)SIM PIN2 required', retriable: false },
  318: { name: '(U)SIM PUK2 required', retriable: false },
  320: { name: 'memory failure', retriable: true },
  321: { name: 'invalid memory index', retriable: false },
  322: { name: 'memory full', retriable: true },
  330: { name: 'SMSC address unknown', retriable: false },
  331: { name: 'no network service', retriable: true },
  332: { name: 'network timeout', retriable: true, uncertain: true },
  340: { name: 'no +CNMA acknowledgement expected', retriable: false },
  500: { name: 'unknown error', retriable: true },
};

/** Codes outside the table: unknown RP causes and manufacturer codes are treated as temporary. */
export function cmsCode(code: number): CmsCode {
  return CMS_CODES[code] ?? { name: code >= 512 ? 'manufacturer specific' : 'unknown cause', retriable: true };
}
