import { afterEach, describe, expect, test } from 'vitest';
import { startSmscCluster, type SmscClusterHandle } from '../../../simulator/index.ts';
import { SimulatorFixture } from './fixture.ts';
import { TestEsme } from './test-esme.ts';

const f = new SimulatorFixture();
let cluster: SmscClusterHandle | undefined;
const esmes: TestEsme[] = [];
afterEach(async () => {
  expect(await f.end()).toEqual([]);
  expect(esmes.flatMap((e) => e.problems())).toEqual([]);
  await Promise.all(esmes.map((e) => e.close()));
  esmes.length = 0;
  await cluster?.close();
  cluster = undefined;
});

describe('control API validation', () => {
  test.each([
    ['PATCH', '/behaviour', { throttle: { tps: 0, scope: 'bind' } }, 400, 'SIM_INVALID_CONFIG', 'behaviour.throttle.tps'],
    ['PATCH', '/behaviour', { bogus: 1 }, 400, 'SIM_INVALID_CONFIG', 'behaviour.bogus'],
    ['PATCH', '/behaviour', { throttle: { scope: 'bind' } }, 400, 'SIM_INVALID_CONFIG', 'behaviour.throttle.tps'],
    ['PATCH', '/behaviour', { latency: { kind: 'uniform', minMs: 50, maxMs: 10 } }, 400, 'SIM_INVALID_CONFIG', 'behaviour.latency.minMs'],
    ['PATCH', '/behaviour', { receipts: { outcomes: [{ stat: 'GREAT', weight: 1 }] } }, 400, 'SIM_INVALID_CONFIG', 'behaviour.receipts.outcomes[0].stat'],
    ['PATCH', '/behaviour', { submitErrors: [{ prefix: '+8170', status: 'ESME_NOPE' }] }, 400, 'SIM_INVALID_CONFIG', 'behaviour.submitErrors[0].status'],
    ['PATCH', '/behaviour', [1, 2], 400, 'SIM_INVALID_REQUEST', 'behaviour'],
    ['POST', '/scenario', { name: 'nope' }, 400, 'SIM_UNKNOWN_SCENARIO', 'scenario'],
    ['POST', '/scenario', { name: 'happy', extra: true }, 400, 'SIM_INVALID_REQUEST', 'body.extra'],
    ['POST', '/scenario', { name: 'happy', behaviour: { dropEveryPdus: -1 } }, 400, 'SIM_INVALID_CONFIG', 'behaviour.dropEveryPdus'],
    ['GET', '/messages?limit=0', undefined, 400, 'SIM_INVALID_REQUEST', 'query.limit'],
    ['GET', '/messages?complete=maybe', undefined, 400, 'SIM_INVALID_REQUEST', 'query.complete'],
    ['GET', '/messages?color=red', undefined, 400, 'SIM_INVALID_REQUEST', 'query.color'],
    ['GET', '/messages/12345', undefined, 404, 'SIM_MESSAGE_NOT_FOUND', 'id'],
    ['GET', '/carriers/nope/counts', undefined, 404, 'SIM_UNKNOWN_CARRIER', 'carrier'],
    ['POST', '/mo', { from: '+8190', to: '123' }, 400, 'SIM_INVALID_REQUEST', 'mo.text'],
    ['POST', '/mo', { from: '+8190', to: '123', text: 'x', carriage: 'pigeon' }, 400, 'SIM_INVALID_REQUEST', 'mo.carriage'],
    ['POST', '/mo', { from: '+8190', to: '123', text: 'x', ref: 300 }, 400, 'SIM_INVALID_REQUEST', 'mo.ref'],
  ] as const)('%s %s %j -> %s %s naming %s', async (method, path, body, status, code, field) => {
    await f.start();
    const before = await f.api('GET', '/behaviour');
    const result = await f.api(method, path, body);
    expect(result.status).toBe(status);
    const error = result.body.error as { code: string; message: string; details: { field: string } };
    expect(error.code).toBe(code);
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(field);
    // A refused change leaves the behaviour as it was.
    expect((await f.api('GET', '/behaviour')).body).toEqual(before.body);
  });

  test('invalid JSON is a 400 with one error object', async () => {
    await f.start();
    const response = await fetch(`${f.handle.controlUrl}/behaviour`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"throttle":' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SIM_INVALID_REQUEST');
  });

  test('PATCH merges, PUT replaces over happy, POST /scenario selects by name', async () => {
    await f.start({ scenario: 'slow' });
    const patched = await f.api('PATCH', '/behaviour', { throttle: { tps: 7, scope: 'bind' } });
    expect(patched.body.throttle).toEqual({ tps: 7, scope: 'bind' });
    expect((patched.body.latency as { kind: string }).kind).toBe('normal');
    const put = await f.api('PUT', '/behaviour', { dropEveryPdus: 9 });
    expect([put.body.dropEveryPdus, put.body.throttle, (put.body.latency as { kind: string }).kind]).toEqual([9, null, 'fixed']);
    const scenario = await f.api('POST', '/scenario', { name: 'window', behaviour: { window: { max: 4 } } });
    expect(scenario.body.window).toEqual({ max: 4, status: 'ESME_RMSGQFUL' });
    const names = Object.keys((await f.api('GET', '/scenarios')).body.scenarios as object);
    expect(names).toContain('throttled');
  });
});

describe('several carriers', () => {
  test('each carrier has its own SMPP port, records and ids; one control port addresses them by name', async () => {
    cluster = await startSmscCluster([{ name: 'docomo' }, { name: 'au', scenario: 'decimal-ids' }]);
    const [docomo, au] = [cluster.carrier('docomo'), cluster.carrier('au')];
    expect(docomo.smppPort).not.toBe(au.smppPort);
    const toDocomo = await TestEsme.bound(docomo.smppPort);
    const toAu = await TestEsme.bound(au.smppPort);
    esmes.push(toDocomo, toAu);
    const a = await toDocomo.submit({ destination_addr: '819011110000', short_message: Buffer.from('via docomo') });
    const b = await toAu.submit({ destination_addr: '818022220000', short_message: Buffer.from('via au') });
    expect(String(a.message_id)).toMatch(/^[0-9a-f]+$/);
    expect(String(b.message_id)).toMatch(/^\d{10}$/);
    const get = async (path: string) => ((await fetch(`${cluster?.controlUrl}${path}`)).json()) as Promise<{ messages: { text: string; carrier: string }[] }>;
    expect((await get('/carriers/docomo/messages')).messages.map((m) => [m.carrier, m.text])).toEqual([['docomo', 'via docomo']]);
    expect((await get('/carriers/au/messages')).messages.map((m) => [m.carrier, m.text])).toEqual([['au', 'via au']]);
    const carriers = (await (await fetch(`${cluster.controlUrl}/carriers`)).json()) as { carriers: { name: string; smppPort: number }[] };
    expect(carriers.carriers.map((c) => [c.name, c.smppPort])).toEqual([
      ['docomo', docomo.smppPort],
      ['au', au.smppPort],
    ]);
    await fetch(`${cluster.controlUrl}/carriers/au/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'throttled' }) });
    expect(au.behaviour().throttle).not.toBeNull();
    expect(docomo.behaviour().throttle).toBeNull();
    await fetch(`${cluster.controlUrl}/reset`, { method: 'POST' });
    expect([docomo.messages().length, au.messages().length]).toEqual([0, 0]);
  });

  test('a port in use is refused with SIM_LISTEN_FAILED naming the port', async () => {
    const sim = await f.start();
    await expect(startSmscCluster([{ name: 'again', port: sim.smppPort }])).rejects.toMatchObject({ code: 'SIM_LISTEN_FAILED', details: { field: 'port' } });
    await expect(startSmscCluster([{ name: 'again' }], { controlPort: sim.controlPort })).rejects.toMatchObject({
      code: 'SIM_LISTEN_FAILED',
      details: { field: 'controlPort' },
    });
  });

  test('two carriers cannot share a name', async () => {
    await expect(startSmscCluster([{ name: 'x' }, { name: 'x' }])).rejects.toMatchObject({ code: 'SIM_INVALID_CONFIG', details: { field: 'carriers[1].name' } });
  });
});
