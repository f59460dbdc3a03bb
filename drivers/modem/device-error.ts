import { cmeCode, cmsCode, type FinalResult, type SimProblem } from '../at-protocol/index.ts';
import { modemError, type ModemError, type ModemErrorCode } from './errors.ts';

/** The code the driver reports when a +CME ERROR names a SIM problem. */
const SIM_ERROR: Readonly<Record<SimProblem, ModemErrorCode>> = {
  'not-inserted': 'MODEM_SIM_NOT_INSERTED',
  'pin-required': 'MODEM_SIM_PIN_REQUIRED',
  'puk-required': 'MODEM_SIM_PUK_REQUIRED',
  'pin-wrong': 'MODEM_SIM_PIN_WRONG',
  failure: 'MODEM_SIM_FAILURE',
};

/**
 * Decode and judge are separate: the framer reads a final result code, this turns a failing one into a
 * typed error. Verbose codes (AT+CMEE=2 text) keep their text in details.
 */
export function deviceError(result: FinalResult, command: string, extra: Record<string, unknown> = {}): ModemError {
  switch (result.kind) {
    case 'cms': {
      if (result.code === null) return modemError('MODEM_CMS_TEMPORARY', `${command}: ${result.text}`, { command, cms: null, name: result.text, ...extra });
      const row = cmsCode(result.code);
      return modemError(row.retriable ? 'MODEM_CMS_TEMPORARY' : 'MODEM_CMS_ERROR', `${command}: ${result.code} ${row.name}`, {
        command,
        cms: result.code,
        name: row.name,
        uncertain: row.uncertain === true,
        ...extra,
      });
    }
    case 'cme': {
      if (result.code === null) return modemError('MODEM_CME_TEMPORARY', `${command}: ${result.text}`, { command, cme: null, name: result.text, ...extra });
      const row = cmeCode(result.code);
      const code = row.sim === undefined ? (row.retriable ? 'MODEM_CME_TEMPORARY' : 'MODEM_CME_ERROR') : SIM_ERROR[row.sim];
      return modemError(code, `${command}: ${result.code} ${row.name}`, { command, cme: result.code, name: row.name, ...extra });
    }
    case 'error':
      return modemError('MODEM_COMMAND_ERROR', command, { command, ...extra });
    case 'other':
      return modemError('MODEM_COMMAND_ERROR', `${command}: ${result.text}`, { command, result: result.text, ...extra });
    case 'ok':
      return modemError('MODEM_UNEXPECTED_REPLY', `${command}: OK where an error was expected`, { command, ...extra });
  }
}
