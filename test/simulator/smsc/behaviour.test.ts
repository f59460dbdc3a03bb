import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyBehaviourPatch, checkConfig, HAPPY_BEHAVIOUR, loadConfigFile, SCENARIO_NAMES, scenarioBehaviour } from '../../../simulator/index.ts';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('did not throw');
}

describe('behaviour patches', () => {
  test('objects merge, arrays replace, null switches a feature off', () => {
    const throttled = applyBehaviourPatch(HAPPY_BEHAVIOUR, { throttle: { tps: 5, scope: 'bind' }, receipts: { delayMs: 50 } });
    expect(throttled.throttle).toEqual({ tps: 5, scope: 'bind' });
    expect(throttled.receipts).toEqual({ ...HAPPY_BEHAVIOUR.receipts, delayMs: 50 });
    const again = applyBehaviourPatch(throttled, { throttle: null, receipts: { outcomes: [{ stat: 'UNDELIV', weight: 1 }] } });
    expect(again.throttle).toBeNull();
    expect(again.receipts.outcomes).toEqual([{ stat: 'UNDELIV', weight: 1 }]);
    expect(HAPPY_BEHAVIOUR.throttle).toBeNull();
  });

  test('a latency of another kind replaces the spec; the same kind merges', () => {
    const uniform = applyBehaviourPatch(HAPPY_BEHAVIOUR, { latency: { kind: 'uniform', minMs: 1, maxMs: 9 } });
    expect(uniform.latency).toEqual({ kind: 'uniform', minMs: 1, maxMs: 9 });
    expect(applyBehaviourPatch(uniform, { latency: { kind: 'uniform', maxMs: 20 } }).latency).toEqual({ kind: 'uniform', minMs: 1, maxMs: 20 });
  });

  test.each([
    [{ dropEveryPdus: 1.5 }, 'behaviour.dropEveryPdus'],
    [{ latency: { kind: 'gamma', ms: 3 } }, 'behaviour.latency.kind'],
    [{ latency: { kind: 'normal', meanMs: 3 } }, 'behaviour.latency.stdDevMs'],
    [{ window: { max: 2, status: 'ESME_RSYSERR' } }, 'behaviour.window.status'],
    [{ messageIds: { format: 'octal' } }, 'behaviour.messageIds.format'],
    [{ receipts: { outcomes: [] } }, 'behaviour.receipts.outcomes'],
    [{ deliver: { window: 0 } }, 'behaviour.deliver.window'],
    [{ querySm: 'refuse' }, 'behaviour.querySm'],
    [{ messageIds: { empty: 'yes' } }, 'behaviour.messageIds.empty'],
  ])('%j is refused naming %s', (patch, field) => {
    expect(thrown(() => applyBehaviourPatch(HAPPY_BEHAVIOUR, patch))).toMatchObject({ code: 'SIM_INVALID_CONFIG', details: { field } });
  });

  test.each(SCENARIO_NAMES)('scenario %s is a complete, valid behaviour', (name) => {
    const behaviour = scenarioBehaviour(name);
    expect(applyBehaviourPatch(behaviour, {})).toEqual(behaviour);
  });
});

describe('configuration file', () => {
  async function withFile(text: string, run: (path: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'smsc-config-'));
    try {
      const path = join(dir, 'smsc.yaml');
      await writeFile(path, text);
      await run(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  test('several carriers inherit the top-level fields', async () => {
    const yaml = [
      'controlPort: 0',
      'accounts:',
      '  - { systemId: gw, password: secret, maxBinds: 4 }',
      'behaviour:',
      '  receipts: { delayMs: 25 }',
      'carriers:',
      '  - name: docomo',
      '    port: 0',
      '  - name: au',
      '    scenario: throttled',
      '    accounts: [{ systemId: other, password: x }]',
    ].join('\n');
    await withFile(yaml, async (path) => {
      const config = await loadConfigFile(path);
      expect(config.carriers.map((c) => [c.name, c.scenario ?? 'happy', c.accounts?.[0]?.systemId, c.accounts?.[0]?.maxBinds])).toEqual([
        ['docomo', 'happy', 'gw', 4],
        ['au', 'throttled', 'other', 10],
      ]);
      expect(config.carriers[1]?.behaviour).toEqual({ receipts: { delayMs: 25 } });
    });
  });

  test.each([
    ['port: 99999', 'port'],
    ['carriers:\n  - port: 1', 'carriers[0].name'],
    ['behaviour:\n  throttle: { tps: fast, scope: bind }', 'behaviour.throttle.tps'],
    ['carriers:\n  - name: a\n    behaviour: { receipts: { colour: red } }', 'carriers[0].behaviour.receipts.colour'],
    ['accounts:\n  - { systemId: gw }', 'accounts[0].password'],
  ])('%j is refused naming %s', async (yaml, field) => {
    await withFile(yaml, async (path) => {
      await expect(loadConfigFile(path)).rejects.toMatchObject({ code: 'SIM_INVALID_CONFIG', details: { field } });
    });
  });

  test('an unknown scenario in a carrier names that carrier', () => {
    expect(thrown(() => checkConfig({ carriers: [{ name: 'a' }, { name: 'b', scenario: 'nope' }] }))).toMatchObject({
      code: 'SIM_UNKNOWN_SCENARIO',
      details: { field: 'carriers[1].scenario' },
    });
  });

  test('a missing file and broken YAML are SIM_CONFIG_FILE errors', async () => {
    await expect(loadConfigFile('/nonexistent/smsc.yaml')).rejects.toMatchObject({ code: 'SIM_CONFIG_FILE' });
    await withFile('carriers: [unclosed', async (path) => {
      await expect(loadConfigFile(path)).rejects.toMatchObject({ code: 'SIM_CONFIG_FILE' });
    });
  });
});
