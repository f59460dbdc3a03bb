/**
 * SMPP 3.4 section 5.1.3 command_status values, as data. The reverse indexes are derived below, never
 * written by hand. `retriable` says whether sending the same PDU again later can succeed: congestion and
 * transient SMSC faults can, a bad address or length cannot.
 */

export interface CommandStatusRow {
  readonly status: number;
  readonly name: string;
  readonly message: string;
  readonly retriable: boolean;
}

const ROWS = [
  [0x0000, 'ESME_ROK', 'no error', false],
  [0x0001, 'ESME_RINVMSGLEN', 'message length is invalid', false],
  [0x0002, 'ESME_RINVCMDLEN', 'command length is invalid', false],
  [0x0003, 'ESME_RINVCMDID', 'invalid command id', false],
  [0x0004, 'ESME_RINVBNDSTS', 'incorrect bind status for the command', true],
  [0x0005, 'ESME_RALYBND', 'already bound', false],
  [0x0006, 'ESME_RINVPRTFLG', 'invalid priority flag', false],
  [0x0007, 'ESME_RINVREGDLVFLG', 'invalid registered delivery flag', false],
  [0x0008, 'ESME_RSYSERR', 'system error', true],
  [0x000a, 'ESME_RINVSRCADR', 'invalid source address', false],
  [0x000b, 'ESME_RINVDSTADR', 'invalid destination address', false],
  [0x000c, 'ESME_RINVMSGID', 'message id is invalid', false],
  [0x000d, 'ESME_RBINDFAIL', 'bind failed', false],
  [0x000e, 'ESME_RINVPASWD', 'invalid password', false],
  [0x000f, 'ESME_RINVSYSID', 'invalid system id', false],
  [0x0011, 'ESME_RCANCELFAIL', 'cancel_sm failed', false],
  [0x0013, 'ESME_RREPLACEFAIL', 'replace_sm failed', false],
  [0x0014, 'ESME_RMSGQFUL', 'message queue full', true],
  [0x0015, 'ESME_RINVSERTYP', 'invalid service type', false],
  [0x0033, 'ESME_RINVNUMDESTS', 'invalid number of destinations', false],
  [0x0034, 'ESME_RINVDLNAME', 'invalid distribution list name', false],
  [0x0040, 'ESME_RINVDESTFLAG', 'invalid destination flag', false],
  [0x0042, 'ESME_RINVSUBREP', 'invalid submit with replace request', false],
  [0x0043, 'ESME_RINVESMCLASS', 'invalid esm_class', false],
  [0x0044, 'ESME_RCNTSUBDL', 'cannot submit to distribution list', false],
  // Carriers use it for transient submit failures far more often than for permanent ones.
  [0x0045, 'ESME_RSUBMITFAIL', 'submit_sm or submit_multi failed', true],
  [0x0048, 'ESME_RINVSRCTON', 'invalid source address TON', false],
  [0x0049, 'ESME_RINVSRCNPI', 'invalid source address NPI', false],
  [0x0050, 'ESME_RINVDSTTON', 'invalid destination address TON', false],
  [0x0051, 'ESME_RINVDSTNPI', 'invalid destination address NPI', false],
  [0x0053, 'ESME_RINVSYSTYP', 'invalid system_type', false],
  [0x0054, 'ESME_RINVREPFLAG', 'invalid replace_if_present flag', false],
  [0x0055, 'ESME_RINVNUMMSGS', 'invalid number of messages', false],
  [0x0058, 'ESME_RTHROTTLED', 'throttling error: the ESME exceeded its allowed message limits', true],
  [0x0061, 'ESME_RINVSCHED', 'invalid scheduled delivery time', false],
  [0x0062, 'ESME_RINVEXPIRY', 'invalid validity period', false],
  [0x0063, 'ESME_RINVDFTMSGID', 'predefined message invalid or not found', false],
  [0x0064, 'ESME_RX_T_APPN', 'ESME receiver temporary application error', true],
  [0x0065, 'ESME_RX_P_APPN', 'ESME receiver permanent application error', false],
  [0x0066, 'ESME_RX_R_APPN', 'ESME receiver reject message error', false],
  [0x0067, 'ESME_RQUERYFAIL', 'query_sm failed', false],
  [0x00c0, 'ESME_RINVTLVSTREAM', 'error in the optional part of the PDU body', false],
  [0x00c1, 'ESME_RTLVNOTALLWD', 'optional parameter not allowed', false],
  [0x00c2, 'ESME_RINVTLVLEN', 'invalid parameter length', false],
  [0x00c3, 'ESME_RMISSINGTLV', 'expected optional parameter missing', false],
  [0x00c4, 'ESME_RINVTLVVAL', 'invalid optional parameter value', false],
  [0x00fe, 'ESME_RDELIVERYFAILURE', 'delivery failure', false],
  [0x00ff, 'ESME_RUNKNOWNERR', 'unknown error', false],
  // SMPP 5.0 section 4.7.6 additions, which some 3.4 SMSCs send too.
  [0x0100, 'ESME_RSERTYPUNAUTH', 'ESME not authorised to use the service type', false],
  [0x0101, 'ESME_RPROHIBITED', 'ESME prohibited from using the operation', false],
  [0x0102, 'ESME_RSERTYPUNAVAIL', 'service type unavailable', true],
  [0x0103, 'ESME_RSERTYPDENIED', 'service type denied', false],
  [0x0104, 'ESME_RINVDCS', 'invalid data coding scheme', false],
  [0x0105, 'ESME_RINVSRCADDRSUBUNIT', 'invalid source address subunit', false],
  [0x0106, 'ESME_RINVDSTADDRSUBUNIT', 'invalid destination address subunit', false],
  [0x0107, 'ESME_RINVBCASTFREQINT', 'invalid broadcast frequency interval', false],
  [0x0108, 'ESME_RINVBCASTALIAS_NAME', 'invalid broadcast alias name', false],
  [0x0109, 'ESME_RINVBCASTAREAFMT', 'invalid broadcast area format', false],
  [0x010a, 'ESME_RINVNUMBCAST_AREAS', 'invalid number of broadcast areas', false],
  [0x010b, 'ESME_RINVBCASTCNTTYPE', 'invalid broadcast content type', false],
  [0x010c, 'ESME_RINVBCASTMSGCLASS', 'invalid broadcast message class', false],
  [0x010d, 'ESME_RBCASTFAIL', 'broadcast_sm failed', false],
  [0x010e, 'ESME_RBCASTQUERYFAIL', 'query_broadcast_sm failed', false],
  [0x010f, 'ESME_RBCASTCANCELFAIL', 'cancel_broadcast_sm failed', false],
  [0x0110, 'ESME_RINVBCAST_REP', 'invalid number of repeated broadcasts', false],
  [0x0111, 'ESME_RINVBCASTSRVGRP', 'invalid broadcast service group', false],
  [0x0112, 'ESME_RINVBCASTCHANIND', 'invalid broadcast channel indicator', false],
] as const satisfies readonly (readonly [number, string, string, boolean])[];

/** The name of every status this table knows (`ESME_RTHROTTLED`...). */
export type StatusName = (typeof ROWS)[number][1];

export const COMMAND_STATUSES: readonly CommandStatusRow[] = ROWS.map(([status, name, message, retriable]) => ({
  status,
  name,
  message,
  retriable,
}));

const BY_NUMBER = new Map<number, CommandStatusRow>(COMMAND_STATUSES.map((row) => [row.status, row]));
const BY_NAME = new Map<string, CommandStatusRow>(COMMAND_STATUSES.map((row) => [row.name, row]));

/** The row for a status number; vendor-specific values (0x400-0x4FF and others) get a generic, non-retriable row. */
export function commandStatus(status: number): CommandStatusRow {
  return (
    BY_NUMBER.get(status) ?? {
      status,
      name: `0x${status.toString(16).padStart(8, '0')}`,
      message: 'unknown or vendor-specific command_status',
      retriable: false,
    }
  );
}

export function commandStatusByName(name: string): CommandStatusRow | undefined {
  return BY_NAME.get(name);
}

/** The name of a status this table knows; undefined for vendor-specific values. */
export function knownStatusName(status: number): StatusName | undefined {
  return BY_NUMBER.get(status)?.name as StatusName | undefined;
}

/** Status numbers by name, for code that names the status it answers with (`STATUS.ESME_RINVDSTADR`). */
export const STATUS = Object.fromEntries(ROWS.map(([status, name]) => [name, status])) as Readonly<Record<StatusName, number>>;

/** A status given by name (`ESME_RINVDSTADR`) or number (0x0B), as configuration allows. */
export function statusValue(status: StatusName | number): number {
  return typeof status === 'number' ? status : STATUS[status];
}
