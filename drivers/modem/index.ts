/** GSM modems over AT commands: one pool of modems is one connector behind the Driver interface. */
export { ModemPool } from './modem-pool.ts';
export { parseModemPoolConfig } from './config.ts';
export { MODEM_ERRORS, modemError } from './errors.ts';
export type { ModemErrorCode } from './errors.ts';
export { selectProfile } from './profiles.ts';
export { scanPorts } from './port-scan.ts';
