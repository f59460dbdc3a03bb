import { expect, test } from 'vitest';
import { hashApiKey } from '../../gateway/index.ts';
import { runCli } from './run-cli.ts';

test('smsgw keys new prints a fresh key and its hash; each run another', () => {
  const first = runCli(['keys', 'new', '--json']);
  expect(first.status).toBe(0);
  const { key, hash } = JSON.parse(first.stdout) as { key: string; hash: string };
  expect(key).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  expect(hash).toBe(hashApiKey(key));
  expect(first.stderr).not.toContain(key);
  const second = runCli(['keys', 'new', '--prefix', 'live_']);
  expect(second.stdout).toMatch(/^key: {2}live_[A-Za-z0-9_-]{32}\nhash: [0-9a-f]{64}\n$/);
  expect(second.stdout).not.toContain(key);
});

test('smsgw keys hash hashes a key from stdin and refuses a short one', () => {
  const key = 'abcdefghijklmnopqrstuvwxyz0123456789';
  expect(runCli(['keys', 'hash'], `${key}\n`)).toMatchObject({ status: 0, stdout: `${hashApiKey(key)}\n` });
  expect(runCli(['keys', 'hash'], 'short\n')).toMatchObject({ status: 1, stderr: expect.stringContaining('GW_INVALID_CONFIG') as string });
  expect(runCli(['keys', 'new', '--prefix', 'bad!'])).toMatchObject({ status: 1 });
});
