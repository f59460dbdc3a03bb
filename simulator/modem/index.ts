// Names carry "Modem" where the SMSC simulator exports the same idea, so simulator/index.ts can re-export both.
export { startVirtualModem } from './virtual-modem.ts';
export type { VirtualModemHandle, VirtualModemOptions } from './modem-handle.ts';
export { MODEMSIM_ERRORS, ModemSimError, modemSimError } from './errors.ts';
export type { ModemSimErrorCode } from './errors.ts';
export { loadModemConfig } from './config-file.ts';
