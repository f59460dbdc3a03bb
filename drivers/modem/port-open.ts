import { modemErrorWith } from './errors.ts';
import type { SerialLink, SerialOpener } from './serial-link.ts';
import type { Schedule } from './timers.ts';

export interface PortOpenDeps {
  readonly open: SerialOpener;
  readonly schedule: Schedule;
  /** Devices held by modems of this process. */
  readonly claimed: Set<string>;
}

/**
 * Opening a wedged USB device can block: an open that does not settle in `ms` is given up (and the port closed if
 * it opens later). The device stays claimed until that late open settles, so no other probe opens the same tty
 * beside it; the rejection says so with `facts.stillOpening`.
 */
export function openPortWithin(deps: PortOpenDeps, path: string, device: string, ms: number): Promise<SerialLink> {
  return new Promise((resolve, reject) => {
    let late = false;
    const cancel = deps.schedule(ms, () => {
      late = true;
      reject(modemErrorWith({ stillOpening: true }, 'MODEM_PORT_OPEN_FAILED', `${path}: the open did not complete in ${ms} ms`, { path }));
    });
    const release = (): void => void deps.claimed.delete(device);
    deps.open(path).then(
      (link) => {
        cancel();
        if (late) void link.close().catch(() => undefined).finally(release);
        else resolve(link);
      },
      (error: unknown) => {
        cancel();
        if (late) release();
        else reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
