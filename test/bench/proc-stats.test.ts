import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { cpuSeconds, descendants, parentPids, processTree, treeCpuSeconds, treeRssMiB, rssMiB } from '../../bench/proc-stats.ts';

describe('process tree readings (/proc)', () => {
  test('descendants: the root first, then each generation, from a pid -> parent map', () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 11],
      [20, 1],
    ]);
    expect(descendants(10, parents)).toEqual([10, 11, 12, 13]);
    expect(descendants(13, parents)).toEqual([13]);
  });

  test('a child process is in this process tree, and its CPU and RSS add to the tree`s', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    try {
      const pid = child.pid as number;
      expect(parentPids().get(pid)).toBe(process.pid);
      expect(processTree(process.pid)).toContain(pid);
      expect(processTree(process.pid)[0]).toBe(process.pid);
      expect(treeRssMiB(process.pid)).toBeGreaterThanOrEqual(rssMiB(process.pid) + rssMiB(pid) - 1);
      expect(treeCpuSeconds(process.pid)).toBeGreaterThanOrEqual(cpuSeconds(process.pid));
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
