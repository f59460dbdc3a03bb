/**
 * Decode and judge are separate: the framer reads a final result code (drivers/at-protocol), this turns a failing
 * one into a typed error plus the facts a sender branches on. Verbose codes (AT+CMEE=2 text) keep their text in
 * details; only a numeric code is a carrier value.
 */
import { cmeCode, cmsCode, type FinalResult, type SimProblem } from '../at-protocol/index.ts';
import type { PartCarrierValue } from '../transport/index.ts';
import { modemError, type ModemError, type ModemErrorCode } from './errors.ts';

/** The code the driver reports when a +CME ERROR names a SIM problem. */
const SIM_ERROR: Readonly<Record<SimProblem, ModemErrorCode>> = {
  'not-inserted': 'MODEM_SIM_NOT_INSERTED',
  'pin-required': 'MODEM_SIM_PIN_REQUIRED',
  'puk-required': 'MODEM_SIM_PUK_REQUIRED',
  'pin-wrong': 'MODEM_SIM_PIN_WRONG',
  failure: 'MODEM_SIM_FAILURE',
};

export interface DeviceFailure {
  readonly error: ModemError;
  /** The CMS table's `uncertain` column: the network may have taken the message before the failure. */
  readonly uncertain: boolean;
  /** The +CMS / +CME number, when the device gave one. */
  readonly raw?: PartCarrierValue;
}

export function deviceError(result: FinalResult, command: string, extra: Record<string, unknown> = {}): DeviceFailure {
  switch (result.kind) {
    case 'cms': {
      if (result.code === null) {
        return { error: modemError('MODEM_CMS_TEMPORARY', `${command}: ${result.text}`, { command, cms: null, name: result.text, ...extra }), uncertain: false };
      }
      const row = cmsCode(result.code);
      const uncertain = row.uncertain === true;
      const error = modemError(row.retriable ? 'MODEM_CMS_TEMPORARY' : 'MODEM_CMS_ERROR', `${command}: ${result.code} ${row.name}`, {
        command,
        cms: result.code,
        name: row.name,
        uncertain,
        ...extra,
      });
      return { error, uncertain, raw: { cmsError: result.code } };
    }
    case 'cme': {
      if (result.code === null) {
        return { error: modemError('MODEM_CME_TEMPORARY', `${command}: ${result.text}`, { command, cme: null, name: result.text, ...extra }), uncertain: false };
      }
      const row = cmeCode(result.code);
      const code = row.sim === undefined ? (row.retriable ? 'MODEM_CME_TEMPORARY' : 'MODEM_CME_ERROR') : SIM_ERROR[row.sim];
      const error = modemError(code, `${command}: ${result.code} ${row.name}`, { command, cme: result.code, name: row.name, ...extra });
      return { error, uncertain: false, raw: { cmeError: result.code } };
    }
    case 'error':
      return { error: modemError('MODEM_COMMAND_ERROR', command, { command, ...extra }), uncertain: false };
    case 'other':
      return { error: modemError('MODEM_COMMAND_ERROR', `${command}: ${result.text}`, { command, result: result.text, ...extra }), uncertain: false };
    case 'ok':
      return { error: modemError('MODEM_UNEXPECTED_REPLY', `${command}: OK where an error was expected`, { command, ...extra }), uncertain: false };
  }
}
