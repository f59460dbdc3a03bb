import { afterEach, describe, expect, test } from 'vitest';
import { ModemPool } from '../../../drivers/modem/index.ts';
import { FakeLink, OK } from './fake-link.ts';

const line = (text: string): string => `\r\n${text}\r\n\r\nOK\r\n`;

/** A strict scripted modem of the given make: every command the driver may send at start-up, nothing else. */
function device(manufacturer: string, model: string): FakeLink {
  const table: Record<string, string> = {
    AT: OK,
    ATE0: OK,
    'AT+CMEE=1': OK,
    'AT+CGMI': line(manufacturer),
    'AT+CGMM': line(model),
    'AT+CGSN': line('356938035643809'),
    'AT+CPIN?': line('+CPIN: READY'),
    'AT+CIMI': line('440101234567890'),
    'AT+CCID': line('+CCID: 8981100000000000001'),
    'AT^ICCID?': line('^ICCID: 8981100000000000002'),
    'AT+QCCID': line('+QCCID: 8981100000000000003'),
    'AT^CURC=0': OK,
    'AT+CREG?': line('+CREG: 0,1'),
    'AT+CEREG?': line('+CEREG: 0,1'),
    'AT+COPS=3,0': OK,
    'AT+COPS?': line('+COPS: 0,0,"KDDI",7'),
    'AT+CSQ': line('+CSQ: 18,99'),
    'AT+CSCA?': line('+CSCA: "+819000000051",145'),
    'AT+CMGF=0': OK,
    'AT+CPMS="SM","SM","SM"': line('+CPMS: 0,30,0,30,0,30'),
    'AT+CPMS="ME","ME","ME"': line('+CPMS: 0,255,0,255,0,255'),
    'AT+CNMI=2,1,0,1,0': OK,
    'AT+CMGL=4': OK,
  };
  return new FakeLink((unit) => (Object.hasOwn(table, unit) ? table[unit] : null));
}

describe('modem profiles drive the start-up', () => {
  const pools: ModemPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  async function startWith(link: FakeLink, extra: Record<string, unknown> = {}): Promise<ModemPool> {
    const pool = new ModemPool(
      { id: 'fake', pollMs: 0, modems: [{ path: '/dev/fake0', ...extra }] },
      { open: () => Promise.resolve(link), scan: (patterns) => Promise.resolve(patterns.map((path) => ({ path, device: path }))) },
    );
    pools.push(pool);
    await pool.start({ receipt: () => Promise.resolve(), inbound: () => Promise.resolve() });
    for (let i = 0; i < 200 && !pool.health().up; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return pool;
  }

  test.each([
    ['huawei', 'E3372', 'huawei', 'AT^ICCID?', '8981100000000000002', ['AT^CURC=0', 'AT+CPMS="ME","ME","ME"']],
    ['Quectel', 'EC25', 'quectel', 'AT+QCCID', '8981100000000000003', ['AT+CPMS="ME","ME","ME"']],
    ['Acme', 'Model 1', 'generic', 'AT+CCID', '8981100000000000001', ['AT+CPMS="SM","SM","SM"']],
  ])('%s %s: %s profile, ICCID by %s', async (manufacturer, model, profile, iccidCommand, iccid, extraCommands) => {
    const link = device(manufacturer, model);
    const pool = await startWith(link);
    expect(pool.health().links[0]?.detail).toMatchObject({ state: 'up', profile, iccid, operator: 'KDDI', rssi: 18 });
    expect(link.units).toContain(iccidCommand);
    for (const command of extraCommands) expect(link.units).toContain(command);
    expect(link.unexpected).toEqual([]);
  });

  test('configured quirks override the profile', async () => {
    const link = device('huawei', 'E3372');
    const pool = await startWith(link, { quirks: { iccidCommand: 'AT+CCID', init: [], storage: ['SM', 'SM', 'SM'] } });
    expect(pool.health().links[0]?.detail).toMatchObject({ state: 'up', profile: 'huawei', iccid: '8981100000000000001' });
    expect(link.units).not.toContain('AT^CURC=0');
    expect(link.unexpected).toEqual([]);
  });
});
