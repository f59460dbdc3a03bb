import type { AddressingConfig } from './config.ts';
import { smppError } from './errors.ts';

/** An address as submit_sm carries it: TON, NPI and the C-octet string (SMPP 3.4 section 5.2.5 - 5.2.8). */
export interface SmppAddress {
  readonly ton: number;
  readonly npi: number;
  readonly addr: string;
}

/** GSM 03.40 alphanumeric originators hold 11 characters; SMPP source_addr holds 20. */
const MAX_ALPHANUMERIC = 11;
const MAX_DIGITS = 20;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Decides TON/NPI from the address itself: `+` and digits is international (sent without the `+`),
 * digits up to `shortCodeMaxDigits` a short code, longer digits national, anything else alphanumeric; an empty
 * originator is sent as NULL.
 */
export function smppAddress(address: string, rules: AddressingConfig, field: 'from' | 'to'): SmppAddress {
  // SMPP 3.4 section 5.2.8: a NULL source_addr (TON/NPI unknown) lets the SMSC use the account's default sender.
  if (address === '' && field === 'from') return { ton: 0, npi: 0, addr: '' };
  if (/^\+\d{1,20}$/.test(address)) {
    return { ...rules.international, addr: address.slice(1) };
  }
  if (/^\d+$/.test(address)) {
    if (address.length > MAX_DIGITS) {
      throw smppError('SMPP_INVALID_ADDRESS', `${field} has more than ${MAX_DIGITS} digits`, { field, value: address });
    }
    return { ...(address.length <= rules.shortCodeMaxDigits ? rules.shortCode : rules.national), addr: address };
  }
  if (field === 'to') {
    throw smppError('SMPP_INVALID_ADDRESS', 'destination must be digits, optionally after +', { field, value: address });
  }
  if (address.length === 0 || address.length > MAX_ALPHANUMERIC || !PRINTABLE_ASCII.test(address)) {
    throw smppError('SMPP_INVALID_ADDRESS', `alphanumeric sender must be 1-${MAX_ALPHANUMERIC} printable ASCII characters`, {
      field,
      value: address,
    });
  }
  return { ...rules.alphanumeric, addr: address };
}

/** The reverse for inbound addresses: international numbers get their `+` back. */
export function addressFromSmpp(ton: number, addr: string): string {
  return ton === 1 && /^\d+$/.test(addr) ? `+${addr}` : addr;
}
