/**
 * A virtual modem described in a YAML (or JSON) file, for `smsgw simulate modem --config FILE`:
 *
 *   link: /tmp/modem0
 *   carrier: kddi              # docomo | kddi | softbank | rakuten
 *   profile: quectel-ec25      # generic | huawei-e3372 | quectel-ec25 | simcom-sim7600
 *   imei: "356938035643809"
 *   scenario: pin-required
 *   behaviour: { pin: "4321", statusReport: { delayMs: 1000, outcome: delivered } }
 *   controlPort: 8801
 *   inbound:                   # injected once the modem is up, after delayMs
 *     - { from: "+819012345678", text: "STOP", delayMs: 2000 }
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { modemSimError } from './errors.ts';
import type { InboundMessage } from './inbound-pdus.ts';
import type { VirtualModemOptions } from './modem-handle.ts';

export interface ModemConfigFile {
  readonly options: Partial<VirtualModemOptions>;
  readonly inbound: readonly (InboundMessage & { readonly delayMs: number })[];
}

const STRING_KEYS = ['link', 'carrier', 'profile', 'imei', 'imsi', 'iccid', 'manufacturer', 'model', 'revision', 'scenario'] as const;
const KNOWN_KEYS = new Set<string>([...STRING_KEYS, 'behaviour', 'controlPort', 'inbound']);

export async function loadModemConfig(file: string): Promise<ModemConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw modemSimError('MODEMSIM_CONFIG_FILE', `${file}: ${(error as Error).message}`, { field: 'config', value: file });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw modemSimError('MODEMSIM_CONFIG_FILE', `${file}: ${(error as Error).message.split('\n')[0] ?? 'not YAML'}`, { field: 'config', value: file });
  }
  return parseModemConfig(data, file);
}

export function parseModemConfig(data: unknown, file = 'config'): ModemConfigFile {
  const bad = (field: string, value: unknown, why: string): never => {
    throw modemSimError('MODEMSIM_CONFIG_FILE', `${file}: ${field}: ${why}`, { field, value });
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad('(top)', data, 'must be a mapping');
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!KNOWN_KEYS.has(key)) bad(key, record[key], 'unknown key');
  const options: Record<string, unknown> = {};
  for (const key of STRING_KEYS) {
    const value = record[key];
    if (value === undefined) continue;
    // Unquoted digits (an IMEI) arrive as numbers; anything else must be a string.
    if (typeof value === 'number' && Number.isSafeInteger(value) && ['imei', 'imsi', 'iccid'].includes(key)) options[key] = value.toFixed(0);
    else if (typeof value === 'string') options[key === 'link' ? 'path' : key] = value;
    else bad(key, value, 'must be a string');
  }
  if (record.behaviour !== undefined) {
    if (typeof record.behaviour !== 'object' || record.behaviour === null) bad('behaviour', record.behaviour, 'must be a mapping');
    options.behaviour = record.behaviour;
  }
  if (record.controlPort !== undefined) {
    if (!Number.isInteger(record.controlPort)) bad('controlPort', record.controlPort, 'must be a port number');
    options.controlPort = record.controlPort;
  }
  const inbound: (InboundMessage & { delayMs: number })[] = [];
  if (record.inbound !== undefined) {
    if (!Array.isArray(record.inbound)) bad('inbound', record.inbound, 'must be a list');
    (record.inbound as unknown[]).forEach((item, i) => {
      const entry = item as Record<string, unknown>;
      if (typeof entry !== 'object' || entry === null || typeof entry.from !== 'string' || typeof entry.text !== 'string') {
        bad(`inbound[${i}]`, item, 'needs from and text strings');
      }
      const delayMs = entry.delayMs ?? 0;
      if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0) bad(`inbound[${i}].delayMs`, delayMs, 'must be ms >= 0');
      const encoding = entry.encoding;
      if (encoding !== undefined && encoding !== 'auto' && encoding !== 'gsm7' && encoding !== 'ucs2') bad(`inbound[${i}].encoding`, encoding, 'auto, gsm7 or ucs2');
      inbound.push({
        from: entry.from as string,
        text: entry.text as string,
        delayMs: delayMs as number,
        ...(encoding === undefined ? {} : { encoding: encoding as 'auto' | 'gsm7' | 'ucs2' }),
        ...(entry.flash === true ? { flash: true } : {}),
      });
    });
  }
  return { options: options, inbound };
}
