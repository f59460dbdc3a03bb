import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openSerialPort } from '../../../drivers/modem/node-serial-port.ts';
import { PtyLink } from '../../../simulator/modem/pty-link.ts';
import { waitFor } from '../../support/wait-for.ts';

const ROUNDS = 20;
const LINE = '+CMTI: "SM",1\r\n';

/**
 * A device unplugged while it is sending: the tty is hung up with a read on its way, and every read after that
 * returns 0 bytes. serialport's Linux binding retried such reads for ever (patches/@serialport+bindings-cpp*.patch),
 * so the port never closed and the pool never took the modem down. With a line a millisecond about a quarter of
 * hang-ups went unreported; this flood is faster, and without the patch every run failed in its first two rounds.
 */
describe('a serial port hung up while bytes arrive', () => {
  let dir = '';
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smsgw-hangup-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  test(`reports the close every time (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const link = new PtyLink(join(dir, `tty${round}`), { onData: () => undefined, onUnexpectedExit: () => undefined });
      await link.start();
      cleanups.push(() => link.stop());
      const port = await openSerialPort(link.path);
      cleanups.push(() => port.close());
      let closeReason: string | undefined;
      port.onClose((reason) => {
        closeReason = reason;
      });
      let received = 0;
      port.onData((chunk) => {
        received += chunk.length;
      });
      let flooding = true;
      const flood = (): void => {
        if (!flooding) return;
        link.write(LINE);
        setImmediate(flood);
      };
      flood();
      await waitFor(() => received > 0, `round ${round}: first bytes`);
      await link.stop();
      flooding = false;
      const reason = await waitFor(() => closeReason, `round ${round}: the port's close after the hang-up`, 5000);
      expect(reason).toMatch(/^port (closed|error)/);
    }
  }, 120_000);
});
