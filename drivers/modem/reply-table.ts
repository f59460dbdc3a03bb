/**
 * Which information lines belong to which command, and how long each command may take. Keyed by the command
 * name as `commandName` derives it ("AT+CGSN" -> "+CGSN", "AT+CPIN?" -> "+CPIN", "ATE0" -> "E").
 * `prefixes`: the response prefixes the command owns (also sent unsolicited for +CREG and the like).
 * `bare`: the form of a response line without a prefix (identity commands answer a bare value); other bare
 * lines are noise. Timeouts are what real modems need: AT+CMGS waits for the network.
 */
export interface ReplySpec {
  readonly prefixes: readonly string[];
  readonly bare?: RegExp;
  readonly timeoutMs: number;
}

const QUICK = 5_000;

export const REPLY_TABLE: Readonly<Record<string, ReplySpec>> = {
  AT: { prefixes: [], timeoutMs: QUICK },
  E: { prefixes: [], timeoutMs: QUICK },
  Z: { prefixes: [], timeoutMs: QUICK },
  I: { prefixes: [], bare: /^[ -~]+$/, timeoutMs: QUICK },
  '+CMEE': { prefixes: ['+CMEE'], timeoutMs: QUICK },
  '+CGMI': { prefixes: ['+CGMI'], bare: /^[ -~]+$/, timeoutMs: QUICK },
  '+CGMM': { prefixes: ['+CGMM'], bare: /^[ -~]+$/, timeoutMs: QUICK },
  '+CGMR': { prefixes: ['+CGMR'], bare: /^[ -~]+$/, timeoutMs: QUICK },
  '+CGSN': { prefixes: ['+CGSN'], bare: /^"?\d{14,17}"?$/, timeoutMs: QUICK },
  '+GSN': { prefixes: ['+GSN'], bare: /^"?\d{14,17}"?$/, timeoutMs: QUICK },
  '+CIMI': { prefixes: ['+CIMI'], bare: /^\d{5,15}$/, timeoutMs: QUICK },
  '+CCID': { prefixes: ['+CCID', '+ICCID', '^ICCID', '+QCCID'], bare: /^"?[0-9A-Fa-f]{18,22}"?$/, timeoutMs: QUICK },
  '+ICCID': { prefixes: ['+ICCID', '+CCID'], bare: /^"?[0-9A-Fa-f]{18,22}"?$/, timeoutMs: QUICK },
  '^ICCID': { prefixes: ['^ICCID'], timeoutMs: QUICK },
  '+QCCID': { prefixes: ['+QCCID'], timeoutMs: QUICK },
  '+CPIN': { prefixes: ['+CPIN'], timeoutMs: 10_000 },
  '+CREG': { prefixes: ['+CREG'], timeoutMs: QUICK },
  '+CGREG': { prefixes: ['+CGREG'], timeoutMs: QUICK },
  '+CEREG': { prefixes: ['+CEREG'], timeoutMs: QUICK },
  '+COPS': { prefixes: ['+COPS'], timeoutMs: 30_000 },
  '+CSQ': { prefixes: ['+CSQ'], timeoutMs: QUICK },
  '+CSCA': { prefixes: ['+CSCA'], timeoutMs: QUICK },
  '+CSCS': { prefixes: ['+CSCS'], timeoutMs: QUICK },
  '+CSMS': { prefixes: ['+CSMS'], timeoutMs: QUICK },
  '+CMGF': { prefixes: ['+CMGF'], timeoutMs: QUICK },
  '+CNMI': { prefixes: ['+CNMI'], timeoutMs: QUICK },
  '+CPMS': { prefixes: ['+CPMS'], timeoutMs: 10_000 },
  '+CMGS': { prefixes: ['+CMGS'], timeoutMs: 60_000 },
  '+CMGR': { prefixes: ['+CMGR'], timeoutMs: 10_000 },
  '+CMGL': { prefixes: ['+CMGL'], timeoutMs: 30_000 },
  '+CMGD': { prefixes: [], timeoutMs: 10_000 },
  '+CNMA': { prefixes: [], timeoutMs: QUICK },
  '+CFUN': { prefixes: ['+CFUN'], timeoutMs: 30_000 },
};

/** Commands not in the table own no prefixes and get the quick timeout. */
export const DEFAULT_REPLY: ReplySpec = { prefixes: [], timeoutMs: QUICK };

/** The key of `REPLY_TABLE` for a command line (only its first command when several are chained with ";"). */
export function commandName(command: string): string {
  const body = command.replace(/^AT/i, '').split(';')[0] ?? '';
  if (body === '') return 'AT';
  const extended = /^([+^][A-Za-z0-9]+)/.exec(body);
  if (extended?.[1] !== undefined) return extended[1].toUpperCase();
  const basic = /^&?[A-Za-z]/.exec(body);
  return basic === null ? 'AT' : basic[0].toUpperCase();
}

export function replySpec(command: string): ReplySpec {
  return REPLY_TABLE[commandName(command)] ?? DEFAULT_REPLY;
}
