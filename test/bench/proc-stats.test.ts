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
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    // Once it has run its script, its RSS no longer grows by start-up.
    await new Promise<void>((resolve, reject) => child.stdout.once('data', () => resolve()).once('error', reject));
    try {
      const pid = child.pid as number;
      expect(parentPids().get(pid)).toBe(process.pid);
      expect(processTree(process.pid)).toContain(pid);
      expect(processTree(process.pid)[0]).toBe(process.pid);
      // Each reading is taken a moment after the one before, while this process runs on: CPU time only grows, so
      // our own is read before the tree's; RSS moves both ways, so the child's share is compared with some slack.
      const ownCpu = cpuSeconds(process.pid);
      expect(treeCpuSeconds(process.pid)).toBeGreaterThanOrEqual(ownCpu);
      const childRss = rssMiB(pid);
      expect(childRss).toBeGreaterThan(16);
      const treeRss = treeRssMiB(process.pid);
      expect(Math.abs(treeRss - rssMiB(process.pid) - childRss)).toBeLessThanOrEqual(8);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
