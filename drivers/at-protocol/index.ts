/**
 * The AT protocol, pure (no I/O, no clock): result codes and the +CME / +CMS tables, line framing in both
 * directions (the modem's lines as the driver reads them, the terminal's command lines as a modem reads them),
 * command line syntax and the information responses. The modem driver and the virtual modem both use it.
 */
export { CME_CODES, cmeCode } from './cme-codes.ts';
export type { CmeCode, SimProblem } from './cme-codes.ts';
export { CMS_CODES, cmsCode } from './cms-codes.ts';
export type { CmsCode } from './cms-codes.ts';
export { PLAIN_ERROR, cme, cms, failureLine, parseFinal } from './result-codes.ts';
export type { AtFailure, FinalResult } from './result-codes.ts';
export { LineFramer, linePrefix } from './line-framer.ts';
export type { FrameEvent } from './line-framer.ts';
export { DteReader } from './dte-reader.ts';
export type { DteEvent, DteStep } from './dte-reader.ts';
export { parseCommandLine } from './command-line.ts';
export type { AtCommand, AtForm, ParsedLine } from './command-line.ts';
export { textTimestamp } from './text-timestamp.ts';
export {
  isRegistered,
  parameters,
  parseCmglIndex,
  parseCmgs,
  parseCops,
  parseCpin,
  parseCsca,
  parseCsq,
  parseRegistration,
  parseStoredIndication,
  REGISTRATION_NAMES,
  singleValue,
} from './responses.ts';
export type { ResponseLine, SimState } from './responses.ts';
