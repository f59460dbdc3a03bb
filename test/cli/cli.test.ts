import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.ts';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('smsgw CLI', () => {
  test('an unknown subcommand exits 2 with one line on stderr', () => {
    const result = runCli(['no-such-command']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("unknown command 'no-such-command'");
  });

  test('help lists the subcommands', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('serve');
  });

  test.each([['--version'], ['-V']])('%s prints the package version and exits 0', (flag) => {
    expect(runCli([flag])).toEqual({ status: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });
});

const dir = mkdtempSync(join(tmpdir(), 'smsgw-cli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY_HASH = 'a'.repeat(64);

describe('smsgw serve --config refuses a bad file before starting anything', () => {
  test.each([
    ['a YAML syntax error: file, line and column', 'syntax.yaml', 'accounts:\n  - id: shop\n    apiKeyHashes: [abc\nconnectors: []\n', /^smsgw: GW_INVALID_CONFIG: .*syntax\.yaml:4:1: YAML syntax/],
    [
      'two accounts with one id: file and both fields',
      'accounts.yaml',
      `accounts:\n  - { id: shop, apiKeyHashes: ["${KEY_HASH}"] }\n  - { id: shop, apiKeyHashes: ["${'b'.repeat(64)}"] }\nconnectors: [{ id: a, type: smpp }]\n`,
      /^smsgw: GW_INVALID_CONFIG: .*accounts\.yaml: accounts\[1\]\.id "shop" is already used by accounts\[0\]\.id/,
    ],
    [
      'an unknown top-level section',
      'section.yaml',
      `accounts: [{ id: shop, apiKeyHashes: ["${KEY_HASH}"] }]\nconnectors: [{ id: a, type: smpp }]\nroutse: {}\n`,
      /^smsgw: GW_INVALID_CONFIG: .*section\.yaml: routse is not a known section/,
    ],
  ])('%s', (_label, name, content, message) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    const result = runCli(['serve', '--config', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
