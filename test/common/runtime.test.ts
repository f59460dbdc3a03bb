import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

/** The major version `engines.node` asks for (`>=24.11` → 24). */
function requiredMajor(): number {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
  const match = /(\d+)/.exec(manifest.engines.node);
  if (match === null) throw new Error(`engines.node has no version: ${manifest.engines.node}`);
  return Number(match[1]);
}

test('the suite runs on the Node.js major that engines asks for (the project-owned node binary, not the machine one)', () => {
  const major = Number(process.versions.node.split('.')[0]);
  expect(requiredMajor()).toBe(24);
  expect(major).toBeGreaterThanOrEqual(requiredMajor());
});
