/**
 * What distinguishes one USB modem model from another as far as an AT client can see: its identity strings,
 * the command that reads the ICCID, the first storage index, and whether it knows AT+CEREG (LTE).
 * Data, so the driver's quirk profiles can be tested against each.
 */

export const PROFILE_NAMES = ['generic', 'huawei-e3372', 'quectel-ec25', 'simcom-sim7600'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface DeviceProfile {
  readonly name: ProfileName;
  readonly manufacturer: string;
  readonly model: string;
  readonly revision: string;
  /** Commands (extended, upper case, read or exec form) that answer the ICCID, and the line each answers. */
  readonly iccidCommands: Readonly<Record<string, (iccid: string) => string>>;
  readonly supportsCereg: boolean;
  /** Index of the first message slot in storage (0 on Huawei, Quectel and SIMCom; 1 on many others). */
  readonly firstIndex: 0 | 1;
  /** Slots per storage. */
  readonly capacity: { readonly SM: number; readonly ME: number; readonly SR: number };
  /** Vendor commands accepted without effect (set and exec answer OK, read answers `<name>: 0`). */
  readonly vendorCommands: readonly string[];
  /** AT+CNMI at power-on. */
  readonly cnmiAtPowerOn: readonly [number, number, number, number, number];
}

const plain = (prefix: string) => (iccid: string): string => `${prefix}: ${iccid}`;

export const DEVICE_PROFILES: Readonly<Record<ProfileName, DeviceProfile>> = {
  generic: {
    name: 'generic',
    manufacturer: 'Generic',
    model: 'Virtual GSM Modem',
    revision: '1.0.0',
    iccidCommands: { '+CCID': plain('+CCID') },
    supportsCereg: false,
    firstIndex: 1,
    capacity: { SM: 30, ME: 100, SR: 30 },
    cnmiAtPowerOn: [1, 1, 0, 0, 0],
    vendorCommands: [],
  },
  'huawei-e3372': {
    name: 'huawei-e3372',
    manufacturer: 'huawei',
    model: 'E3372',
    revision: '22.328.62.00.00',
    iccidCommands: { '^ICCID': plain('^ICCID') },
    supportsCereg: true,
    firstIndex: 0,
    capacity: { SM: 50, ME: 500, SR: 50 },
    cnmiAtPowerOn: [0, 0, 0, 0, 0],
    // ^CURC switches Huawei's periodic status reports (^RSSI, ^BOOT...) on or off; clients such as gammu send it.
    vendorCommands: ['^CURC', '^PORTSEL'],
  },
  'quectel-ec25': {
    name: 'quectel-ec25',
    manufacturer: 'Quectel',
    model: 'EC25',
    revision: 'EC25EFAR06A06M4G',
    iccidCommands: { '+QCCID': plain('+QCCID'), '+CCID': plain('+CCID') },
    supportsCereg: true,
    firstIndex: 0,
    capacity: { SM: 50, ME: 255, SR: 50 },
    cnmiAtPowerOn: [2, 1, 0, 0, 0],
    vendorCommands: ['+QURCCFG', '+QINDCFG'],
  },
  'simcom-sim7600': {
    name: 'simcom-sim7600',
    manufacturer: 'SIMCOM INCORPORATED',
    model: 'SIMCOM_SIM7600G-H',
    revision: 'LE20B04SIM7600G22',
    iccidCommands: { '+CICCID': plain('+ICCID'), '+CCID': plain('+CCID') },
    supportsCereg: true,
    firstIndex: 0,
    capacity: { SM: 50, ME: 255, SR: 50 },
    cnmiAtPowerOn: [2, 1, 0, 0, 0],
    vendorCommands: ['+CATR'],
  },
};

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}
