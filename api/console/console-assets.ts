/**
 * The console's static files: its own stylesheet and script, and the browser builds of the libraries it uses
 * (htmx, htmx's SSE extension, Chart.js), served from the installed packages so nothing is built or copied.
 */
import { basename, dirname, join, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import staticFiles from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/** A package's folder, from its main entry (some packages do not export their package.json). */
function packageDir(name: string): string {
  const entry = require.resolve(name);
  const marker = `${sep}node_modules${sep}${name}${sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
}

/** Vendor files by the name pages link to: /console/vendor/<name>. */
const VENDOR: Readonly<Record<string, string>> = {
  'htmx.min.js': join(packageDir('htmx.org'), 'dist', 'htmx.min.js'),
  'htmx-sse.js': join(packageDir('htmx-ext-sse'), 'sse.js'),
  'chart.umd.min.js': join(packageDir('chart.js'), 'dist', 'chart.umd.min.js'),
};

export function registerConsoleAssets(app: FastifyInstance): void {
  void app.register(staticFiles, {
    root: fileURLToPath(new URL('./assets', import.meta.url)),
    prefix: '/assets/',
    // Replaces the no-store the console's hook puts on pages: static files may be cached.
    maxAge: '1h',
  });
  app.get<{ Params: { name: string } }>('/vendor/:name', { schema: { hide: true } }, (request, reply) => {
    const file = VENDOR[request.params.name];
    if (file === undefined) return reply.code(404).send({ code: 'API_NOT_FOUND', message: `no vendor file ${request.params.name}` });
    return reply.header('cache-control', 'public, max-age=86400').sendFile(basename(file), dirname(file));
  });
}
