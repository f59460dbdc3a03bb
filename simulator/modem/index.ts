export { startVirtualModem } from './virtual-modem.ts';
export type { VirtualModemHandle, VirtualModemOptions, VirtualModemStatus } from './modem-handle.ts';
export type { InjectResult, StatusReportRecord } from './modem-network.ts';
export type { InboundMessage } from './inbound-pdus.ts';
export type { TransmittedMessage, TransmittedPart } from './transmission-log.ts';
// Names carry "Modem" where the SMSC simulator exports the same idea, so simulator/index.ts can re-export both.
export {
  HAPPY_BEHAVIOUR as HAPPY_MODEM_BEHAVIOUR,
  SCENARIO_NAMES as MODEM_SCENARIO_NAMES,
  SCENARIOS as MODEM_SCENARIOS,
  applyBehaviour as applyModemBehaviour,
  scenarioBehaviour as modemScenarioBehaviour,
} from './behaviour.ts';
export type {
  BehaviourPatch as ModemBehaviourPatch,
  ModemBehaviour,
  Registration,
  ScenarioName as ModemScenarioName,
  SimCondition,
  StatusReportOutcome,
} from './behaviour.ts';
export { CARRIERS, CARRIER_NAMES } from './carriers.ts';
export type { Carrier, CarrierName } from './carriers.ts';
export { DEVICE_PROFILES, PROFILE_NAMES } from './device-profiles.ts';
export type { DeviceProfile, ProfileName } from './device-profiles.ts';
export type { ModemIdentity } from './identity.ts';
export { MODEMSIM_ERRORS, ModemSimError, modemSimError } from './errors.ts';
export type { ModemSimErrorCode } from './errors.ts';
export { buildControlApp as buildModemControlApp } from './control-server.ts';
export { loadModemConfig } from './config-file.ts';
export type { ModemConfigFile } from './config-file.ts';
