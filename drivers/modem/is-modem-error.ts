import { isCodedError } from '../../common/index.ts';
import type { ModemError, ModemErrorCode } from './errors.ts';
import { MODEM_ERRORS } from './errors.ts';

/** True for an error carrying a MODEM_ code (matched by code, not by class). */
export function isModemError(value: unknown): value is ModemError {
  return isCodedError(value) && Object.hasOwn(MODEM_ERRORS, value.code) && (value.code as ModemErrorCode) === value.code;
}
