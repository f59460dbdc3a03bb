/**
 * Campaign rows benchmark (a script, never a timed test): `npm run bench:campaign-rows`.
 * Generates a BENCH_ROWS-row (default 100,000) Shift_JIS CSV as Japanese spreadsheets save it (CRLF, a header of
 * Japanese column names, quoted names with commas, numbers under 090, 080 and 070, every 50th row bad), then
 * reads it through the campaign preview (decode, csv-parse, template, routing with the built-in ranges, suppression
 * check on the memory store, encoding) in 64 KiB chunks, as an upload arrives. Prints one JSON line: rows validated
 * per second and the memory peak (RSS and heap, sampled every 1,000 rows) above the baseline before reading. The
 * sending side comes with the campaign runner.
 */
import iconv from 'iconv-lite';
import { createMemoryBackend, Gateway, loadRoutingFile } from '../gateway/index.ts';
import { RouterHandle } from '../router/index.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CHUNK = 64 * 1024;
const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const PREFIXES = ['090', '080', '070'];
const NAMES = ['山田, 太郎', '佐藤 花子', '鈴木 一郎', '高橋 ①', 'Tanaka "Ken"'];

function csvFile(rows: number): Buffer {
  const lines = ['電話番号,氏名,金額,店舗'];
  for (let i = 0; i < rows; i += 1) {
    const phone = i % 50 === 49 ? 'not-a-number' : `${PREFIXES[i % PREFIXES.length] ?? '090'}-${String(1000 + Math.floor(i / 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`;
    const name = `"${(NAMES[i % NAMES.length] ?? '').replaceAll('"', '""')}"`;
    lines.push(`${phone},${name},${(i * 37) % 100_000},渋谷店`);
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp932');
}

function* chunks(octets: Buffer): Generator<Uint8Array> {
  for (let i = 0; i < octets.length; i += CHUNK) yield octets.subarray(i, i + CHUNK);
}

async function main(): Promise<void> {
  const file = csvFile(ROWS);
  const backend = createMemoryBackend({ now: () => NOW });
  const gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'bench', apiKeyHashes: [], defaultCountry: 'JP' }],
    shortLinks: { baseUrl: 'https://s.example.jp', codeLength: 10 },
    now: () => NOW,
  });
  for (let i = 0; i < 100; i += 1) await gateway.suppressions.suppress('bench', { number: `090-1000-${String(i * 3).padStart(4, '0')}`, reason: 'opt-out', source: { kind: 'operator' } });
  global.gc?.();
  const base = process.memoryUsage();
  let rssPeak = base.rss;
  let heapPeak = base.heapUsed;
  const sample = (): void => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  };
  const started = performance.now();
  const preview = await gateway.campaignInput.preview(
    'bench',
    { kind: 'csv', octets: chunks(file) },
    { template: '{{氏名}}様 {{店舗}}でのご利用額は{{金額}}円です。詳細: {{link}}' },
    { progress: sample, every: 1_000 },
  );
  const seconds = (performance.now() - started) / 1000;
  sample();
  const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'campaign-rows',
      rows: preview.rows.total,
      valid: preview.rows.valid,
      refused: preview.rows.refused,
      encoding: preview.encoding,
      fileMiB: mib(file.length),
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(preview.rows.total / seconds),
      segments: preview.segments,
      carriers: preview.carriers,
      rssPeakMiB: mib(rssPeak),
      rssAboveBaseMiB: mib(rssPeak - base.rss),
      heapPeakAboveBaseMiB: mib(heapPeak - base.heapUsed),
    }),
  );
  await backend.close();
}

await main();
