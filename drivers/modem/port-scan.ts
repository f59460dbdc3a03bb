/**
 * Finding serial ports without udev: the configured patterns are expanded with the file system. A pattern may
 * use "*" and "?" in its last path segment ("/dev/ttyUSB*", "/dev/serial/by-id/*"). Paths are resolved to the
 * device they point to, so a by-id link and its /dev/ttyUSBn are one candidate; the by-id name is kept as the
 * USB serial identity where the OS exposes one.
 */
import { readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface PortCandidate {
  /** The path to open (the first pattern's spelling, e.g. the by-id link). */
  readonly path: string;
  /** The device it resolves to. */
  readonly device: string;
  /** The /dev/serial/by-id name pointing at the device, when there is one. */
  readonly usbId?: string;
}

const BY_ID = '/dev/serial/by-id';

function patternRegExp(segment: string): RegExp {
  const escaped = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

async function expand(pattern: string): Promise<string[]> {
  const last = basename(pattern);
  if (!/[*?]/.test(last)) return [pattern];
  const dir = dirname(pattern);
  const matcher = patternRegExp(last);
  try {
    const names = await readdir(dir);
    return names.filter((n) => matcher.test(n)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

async function resolved(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

/** Every existing port the patterns name, first spelling wins, one entry per device. */
export async function scanPorts(patterns: readonly string[]): Promise<PortCandidate[]> {
  const usbIds = new Map<string, string>();
  for (const link of await expand(join(BY_ID, '*'))) {
    const device = await resolved(link);
    if (device !== null) usbIds.set(device, basename(link));
  }
  const seen = new Set<string>();
  const out: PortCandidate[] = [];
  for (const pattern of patterns) {
    for (const path of await expand(pattern)) {
      const device = await resolved(path);
      if (device === null || seen.has(device)) continue;
      seen.add(device);
      const usbId = usbIds.get(device);
      out.push(usbId === undefined ? { path, device } : { path, device, usbId });
    }
  }
  return out;
}
