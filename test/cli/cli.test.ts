import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.ts';

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
});
