/**
 * The virtual modem's send rate over a real pseudo-terminal (a script, never a timed test): `npm run bench:modem-sim`.
 * A raw serialport client runs AT+CMGS exchanges one after another (prompt, PDU, +CMGS), as a driver does, for a
 * one-part GSM message and a two-part UCS-2 one, with status reports requested and delivered as +CDS. Real modems
 * manage a few to about 20 messages a minute; this shows the simulator is never what a driver test waits on.
 * BENCH_MODEM_SENDS sets the exchanges per run (default 2,000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { buildSubmitPdus, encodeText, type SubmitPdu } from '../drivers/codec/index.ts';
import { startVirtualModem } from '../simulator/index.ts';

const SENDS = Number(process.env.BENCH_MODEM_SENDS ?? 2000);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-modem-'));
  const modem = await startVirtualModem({ path: join(dir, 'modem0'), behaviour: { statusReport: { delayMs: 0, outcome: 'delivered' } } });
  const port = new SerialPort({ path: modem.path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = '';
  let wake: (() => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    wake?.();
  });
  const until = (pattern: RegExp): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!pattern.test(received)) return;
        wake = undefined;
        received = '';
        resolve();
      };
      wake = check;
      check();
    });
  port.write('ATE0;+CMGF=0;+CNMI=2,1,0,1,0\r');
  await until(/OK\r\n/);

  const cases: [string, SubmitPdu[]][] = [
    ['1-part GSM', buildSubmitPdus(encodeText('Benchmark message '.repeat(8)), { to: '+819012345678', srr: true })],
    ['2-part UCS-2', buildSubmitPdus(encodeText('ベンチマークのメッセージです。'.repeat(6)), { to: '+819012345678', srr: true })],
  ];
  for (const [name, pdus] of cases) {
    modem.clearTransmitted();
    const start = performance.now();
    for (let i = 0; i < SENDS; i += 1) {
      const pdu = pdus[i % pdus.length] as SubmitPdu;
      port.write(`AT+CMGS=${pdu.tpduLength}\r`);
      await until(/> $/);
      port.write(`${pdu.hex}\x1a`);
      await until(/\+CMGS: \d+\r\n\r\nOK\r\n/);
    }
    const seconds = (performance.now() - start) / 1000;
    const parts = modem.transmittedParts().length;
    process.stdout.write(`${name}: ${SENDS} AT+CMGS exchanges in ${seconds.toFixed(2)} s = ${(SENDS / seconds).toFixed(0)} parts/s (recorded ${parts})\n`);
  }
  await new Promise<void>((resolve) => port.close(() => resolve()));
  await modem.close();
  await rm(dir, { recursive: true, force: true });
}

await main();
