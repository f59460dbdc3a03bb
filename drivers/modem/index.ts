/** GSM modems over AT commands: one pool of modems is one connector behind the Driver interface. */
export { ModemPool } from './modem-pool.ts';
export type { ModemPoolOptions } from './modem-pool.ts';
export type { Cancel as ModemTimerCancel, Schedule as ModemSchedule } from './timers.ts';
export { parseModemPoolConfig } from './config.ts';
export type { ModemConfig, ModemPoolConfig, ModemQuirks } from './config.ts';
export { MODEM_ERRORS, ModemError, modemError } from './errors.ts';
export type { ModemErrorCode } from './errors.ts';
export { PROFILES, GENERIC_PROFILE, selectProfile } from './profiles.ts';
export type { ModemProfile } from './profiles.ts';
export { openSerialPort } from './node-serial-port.ts';
export type { SerialLink, SerialOpener } from './serial-link.ts';
export { scanPorts } from './port-scan.ts';
export type { PortCandidate } from './port-scan.ts';
