import { describe, expect, test } from 'vitest';
import { kannelConf, sendsmsPath } from '../../bench/kannel.ts';

const base = { adminPort: 13000, smsboxPort: 13001, sendsmsPort: 13013, smppHost: '127.0.0.1', smppPort: 2775, systemId: 'test', password: 'test' };

describe("the benchmark's Kannel", () => {
  test('one SMPP transceiver link with 100 pending submits, receipts stored in memory, sendsms on loopback', () => {
    const conf = kannelConf(base);
    expect(conf.split('\n\n').map((g) => g.split('\n')[0])).toEqual(['group = core', 'group = smsc', 'group = smsbox', 'group = sendsms-user']);
    for (const line of [
      'admin-port = 13000',
      'admin-interface = 127.0.0.1',
      'smsbox-port = 13001',
      'dlr-storage = internal',
      'smsc = smpp',
      'host = 127.0.0.1',
      'port = 2775',
      'transceiver-mode = true',
      'smsc-username = "test"',
      'max-pending-submits = 100',
      'bearerbox-port = 13001',
      'sendsms-port = 13013',
      'sendsms-interface = 127.0.0.1',
    ]) {
      expect(conf.split('\n')).toContain(line);
    }
    // Ids stay the strings the SMSC gave (Kannel's default without msg-id-type), as the simulator's receipts carry them.
    expect(conf).not.toContain('msg-id-type');
    expect(conf).not.toContain('store-');
  });

  test('the store-file mode keeps its queue in the file given', () => {
    const conf = kannelConf({ ...base, storeFile: '/tmp/run/kannel.store' });
    expect(conf.split('\n')).toEqual(expect.arrayContaining(['store-type = file', 'store-location = "/tmp/run/kannel.store"']));
  });

  test('sendsms asks for delivered and failed reports on a dlr-url that names the message', () => {
    const url = new URL(sendsmsPath(42, 40_000), 'http://kannel');
    expect(url.pathname).toBe('/cgi-bin/sendsms');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      username: 'bench',
      password: 'bench',
      from: '12345',
      to: '+819010000042',
      text: 'Your order 42 has shipped and arrives tomorrow.',
      'dlr-mask': '3',
      'dlr-url': 'http://127.0.0.1:40000/dlr?n=42&type=%d',
    });
  });
});
