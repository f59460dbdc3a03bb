import { describe, expect, test, vi } from 'vitest';
import { main } from '../../cli/index.ts';
import { runCli, type CliResult } from './run-cli.ts';

interface Summary {
  encoding: string;
  parts: number;
  units: number[];
  characters: number;
  remainingInLastPart: number;
  udhBytes: number;
  substitutions: { from: string; to: string; count: number }[];
  shiftTables: Record<string, string>;
}

/** Runs the CLI in-process (spawning node for every row would make this suite slow); one row spawns below. */
async function runMain(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const status = await main(['node', 'smsgw', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

async function segments(args: readonly string[]): Promise<Summary> {
  const result = await runMain(['segments', ...args]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout) as Summary;
}

describe('smsgw segments', () => {
  test.each([
    ['GSM one part', ['--text', 'a'.repeat(160)], { encoding: 'gsm7', parts: 1, units: [160], characters: 160, remainingInLastPart: 0, udhBytes: 0 }],
    ['GSM two parts', ['--text', 'a'.repeat(161)], { encoding: 'gsm7', parts: 2, units: [153, 8], remainingInLastPart: 145, udhBytes: 6 }],
    ['Japanese', ['--text', '日本語のテキスト'], { encoding: 'ucs2', parts: 1, units: [8], characters: 8, remainingInLastPart: 62 }],
    ['emoji counts code points', ['--text', 'hi 😀'], { encoding: 'ucs2', units: [5], characters: 4 }],
    ['forced UCS-2', ['--text', 'abc', '--encoding', 'ucs2'], { encoding: 'ucs2', units: [3] }],
    ['16-bit references', ['--text', 'a'.repeat(200), '--ref16'], { units: [152, 48], udhBytes: 7 }],
    ['Turkish with shift tables', ['--text', 'Şişli', '--shift-tables'], { encoding: 'gsm7', udhBytes: 4, shiftTables: { locking: 'turkish' } }],
    ['shift table list', ['--text', 'canción', '--shift-tables', 'spanish'], { encoding: 'gsm7', shiftTables: { single: 'spanish' } }],
    ['smart', ['--text', '“quoted” — yes…', '--smart'], { encoding: 'gsm7', units: [17] }],
  ])('%s', async (_name, args, expected) => {
    expect(await segments(args)).toMatchObject(expected);
  });

  test('--carrier counts as the carrier does: docomo 660 characters in 10 parts of 66, au 670 in 10 of 67', async () => {
    const docomo = await segments(['--text', 'あ'.repeat(660), '--carrier', 'docomo']);
    expect(docomo).toMatchObject({ carrier: 'docomo', encoding: 'ucs2', parts: 10, units: Array(10).fill(66) });
    const au = await segments(['--text', 'あ'.repeat(670), '--carrier', 'au']);
    expect(au).toMatchObject({ carrier: 'au', parts: 10, units: Array(10).fill(67) });
  });

  test('substitutions are listed', async () => {
    expect((await segments(['--text', 'it’s', '--smart'])).substitutions).toEqual([{ from: '’', to: "'", count: 1 }]);
  });

  test('the installed command prints the same JSON', () => {
    const result = runCli(['segments', '--text', 'Şişli 😀']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ encoding: 'ucs2', parts: 1, units: [8], characters: 7 });
  });

  test('the installed command fails with one line on stderr', () => {
    const result = runCli(['segments', '--text', '日本', '--encoding', 'gsm7']);
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('CODEC_NOT_GSM7');
  });

  test.each([
    ['not GSM with forced gsm7', ['--text', '日本', '--encoding', 'gsm7'], 'CODEC_NOT_GSM7'],
    ['too many parts', ['--text', 'a'.repeat(400), '--max-parts', '2'], 'CODEC_TOO_MANY_PARTS'],
    ['bad max parts', ['--text', 'a', '--max-parts', 'x'], 'CODEC_INVALID_OPTION'],
    ['bad encoding', ['--text', 'a', '--encoding', 'latin1'], 'CODEC_INVALID_OPTION'],
    ['unknown language', ['--text', 'a', '--shift-tables', 'klingon'], 'CODEC_INVALID_OPTION'],
    ['unknown carrier', ['--text', 'a', '--carrier', 'docmo'], 'CODEC_INVALID_OPTION'],
    ['661 characters for docomo', ['--text', 'あ'.repeat(661), '--carrier', 'docomo'], 'CODEC_TOO_MANY_PARTS'],
  ])('bad input: %s', async (_name, args, code) => {
    const result = await runMain(['segments', ...args]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(code);
  });

  test('missing --text is a usage error', async () => {
    const result = await runMain(['segments']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--text');
  });
});
