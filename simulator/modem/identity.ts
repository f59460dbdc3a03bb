/**
 * Who the virtual modem says it is: IMEI (AT+CGSN), IMSI (AT+CIMI), ICCID, maker, model and revision.
 * Missing numbers are drawn at random (with a valid Luhn check digit), so two modems started side by side
 * differ; pass them explicitly for a stable identity.
 */
import { CARRIERS, type Carrier, isCarrierName } from './carriers.ts';
import { DEVICE_PROFILES, type ProfileName, isProfileName } from './device-profiles.ts';
import { modemSimError } from './errors.ts';

export interface ModemIdentity {
  readonly imei: string;
  readonly imsi: string;
  readonly iccid: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly revision: string;
  readonly profile: ProfileName;
  readonly carrier: Carrier;
}

export interface IdentityOptions {
  readonly imei?: string;
  readonly imsi?: string;
  readonly iccid?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly revision?: string;
  readonly profile?: string;
  readonly carrier?: string;
}

/** Luhn check digit of a digit string (the IMEI's 15th digit, the ICCID's last). */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function randomDigits(count: number, random: () => number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(Math.floor(random() * 10));
  return out;
}

export function buildIdentity(options: IdentityOptions, random: () => number = Math.random): ModemIdentity {
  const carrierName = options.carrier ?? 'docomo';
  if (!isCarrierName(carrierName)) {
    throw modemSimError('MODEMSIM_INVALID_OPTION', `carrier ${JSON.stringify(carrierName)}; known: ${Object.keys(CARRIERS).join(', ')}`, {
      field: 'carrier',
      value: carrierName,
    });
  }
  const profileName = options.profile ?? 'generic';
  if (!isProfileName(profileName)) {
    throw modemSimError('MODEMSIM_INVALID_OPTION', `profile ${JSON.stringify(profileName)}; known: ${Object.keys(DEVICE_PROFILES).join(', ')}`, {
      field: 'profile',
      value: profileName,
    });
  }
  const carrier = CARRIERS[carrierName];
  const profile = DEVICE_PROFILES[profileName];
  const imei = options.imei ?? withLuhn(`35${randomDigits(12, random)}`);
  const imsi = options.imsi ?? `${carrier.plmn}${randomDigits(15 - carrier.plmn.length, random)}`;
  const iccid = options.iccid ?? withLuhn(`8981${randomDigits(14, random)}`);
  checkDigits('imei', imei, 15, 15);
  checkDigits('imsi', imsi, 6, 15);
  checkDigits('iccid', iccid, 18, 20);
  return {
    imei,
    imsi,
    iccid,
    manufacturer: options.manufacturer ?? profile.manufacturer,
    model: options.model ?? profile.model,
    revision: options.revision ?? profile.revision,
    profile: profileName,
    carrier,
  };
}

function withLuhn(body: string): string {
  return body + luhnCheckDigit(body);
}

function checkDigits(field: string, value: string, min: number, max: number): void {
  if (!new RegExp(`^\\d{${min},${max}}$`).test(value)) {
    throw modemSimError('MODEMSIM_INVALID_OPTION', `${field} must be ${min === max ? min : `${min}-${max}`} digits`, { field, value });
  }
}
