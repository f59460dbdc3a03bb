/**
 * What a carrier takes in one message, as Japanese carriers publish it: docomo delivers at most 660 characters in
 * parts of 66 (a 16-bit concatenation reference: 7 UDH octets leave 66 UCS-2 characters, TS 23.040 9.2.3.24.8),
 * au, SoftBank and Rakuten 670 in parts of 67 (8-bit reference). A profile names the reference size and the most
 * parts; the characters per part follow from the codec's capacities. A configuration's `carriers.profiles`
 * replaces a built-in profile or adds one.
 */
export interface CarrierProfile {
  /** Most parts one message may use on this carrier. */
  readonly maxParts: number;
  /** Concatenation reference size; 16 leaves one UCS-2 character (one septet) less per part. */
  readonly refSize: 8 | 16;
}

export const BUILTIN_CARRIER_PROFILES: Readonly<Record<string, CarrierProfile>> = Object.freeze({
  docomo: { maxParts: 10, refSize: 16 },
  au: { maxParts: 10, refSize: 8 },
  softbank: { maxParts: 10, refSize: 8 },
  rakuten: { maxParts: 10, refSize: 8 },
});

/** A carrier the router knows no profile for: the codec's defaults, the account's part limit. */
export const DEFAULT_CARRIER_PROFILE: CarrierProfile = Object.freeze({ maxParts: 10, refSize: 8 });

export function carrierProfiles(configured: Readonly<Record<string, CarrierProfile>> = {}): ReadonlyMap<string, CarrierProfile> {
  return new Map(Object.entries({ ...BUILTIN_CARRIER_PROFILES, ...configured }).map(([carrier, profile]) => [carrier, Object.freeze({ ...profile })]));
}
