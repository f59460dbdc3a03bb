import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
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
