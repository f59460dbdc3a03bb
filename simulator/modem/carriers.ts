/**
 * Mobile networks a virtual SIM can be on: the names AT+COPS answers in its three formats, the PLMN
 * (MCC + MNC, also the start of the IMSI) and a service centre address for AT+CSCA. The SMSC numbers are
 * placeholders of this simulator, not the operators' real ones.
 */

export const CARRIER_NAMES = ['docomo', 'kddi', 'softbank', 'rakuten'] as const;
export type CarrierName = (typeof CARRIER_NAMES)[number];

export interface Carrier {
  readonly name: CarrierName;
  /** AT+COPS format 0. */
  readonly longName: string;
  /** AT+COPS format 1. */
  readonly shortName: string;
  /** AT+COPS format 2: MCC followed by MNC. */
  readonly plmn: string;
  readonly smsc: string;
  /** The network's time zone in quarters of an hour east of GMT (TP-SCTS, text-mode time stamps). */
  readonly tzQuarterHours: number;
}

export const CARRIERS: Readonly<Record<CarrierName, Carrier>> = {
  docomo: { name: 'docomo', longName: 'NTT DOCOMO', shortName: 'DOCOMO', plmn: '44010', smsc: '+819000000010', tzQuarterHours: 36 },
  kddi: { name: 'kddi', longName: 'KDDI', shortName: 'au', plmn: '44051', smsc: '+819000000051', tzQuarterHours: 36 },
  softbank: { name: 'softbank', longName: 'SoftBank', shortName: 'SoftBank', plmn: '44020', smsc: '+819000000020', tzQuarterHours: 36 },
  rakuten: { name: 'rakuten', longName: 'Rakuten', shortName: 'Rakuten', plmn: '44011', smsc: '+819000000011', tzQuarterHours: 36 },
};

export function isCarrierName(value: string): value is CarrierName {
  return (CARRIER_NAMES as readonly string[]).includes(value);
}
