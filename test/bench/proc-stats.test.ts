import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, test } from 'vitest';
import { brokerPort, machineCpuReader, redisPort } from '../../bench/machine-cpu.ts';
import { cpuSeconds, descendants, listeningPid, parentPids, processTree, treeCpuSeconds, treeRssMiB, rssMiB } from '../../bench/proc-stats.ts';

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
  test('the process listening on a port: this one for its own server, none once the server is closed', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(listeningPid(port)).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(listeningPid(port)).toBeUndefined();
  });

  test('the machine reading: the load generator always, each process by name, a server listened for by its port', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const read = machineCpuReader({ trees: { gateway: process.pid }, listening: { redis: port } });
      const first = read();
      expect(Object.keys(first).sort()).toEqual(['gateway', 'loadGenerator', 'redis']);
      // Busy for a while: every reading of this process grows.
      const until = performance.now() + 50;
      while (performance.now() < until);
      const second = read();
      expect(second.loadGenerator).toBeGreaterThan(first.loadGenerator as number);
      expect(second.gateway).toBeGreaterThanOrEqual(first.gateway as number);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect([redisPort('redis://127.0.0.1:6380/2'), redisPort('redis://localhost'), brokerPort('127.0.0.1:9092')]).toEqual([6380, 6379, 9092]);
  });
});
