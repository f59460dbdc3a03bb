/**
 * `smsgw usage`: an account's usage from a running gateway's API (GET /v1/usage), as a table or as the API's CSV
 * (UTF-8 with BOM, so `smsgw usage --csv > usage.csv` opens in Excel). The API key comes from --key or
 * SMSGW_API_KEY; the gateway's refusals print as `smsgw: CODE: message`.
 */
import type { Command } from 'commander';
import { CodedError } from '../common/index.ts';
import { cliError } from './cli-errors.ts';

interface UsageCommandOptions {
  readonly url: string;
  readonly key?: string;
  readonly from: string;
  readonly to: string;
  readonly groupBy: string;
  readonly csv?: boolean;
}

interface UsageFiguresBody {
  readonly messages: number;
  readonly segments: number;
  readonly price?: Readonly<Record<string, number>>;
}

interface UsageBody {
  readonly groupBy: string;
  readonly timeZone: string;
  readonly items: readonly (UsageFiguresBody & Readonly<Record<string, unknown>>)[];
  readonly total: UsageFiguresBody;
}

export function registerUsageCommand(program: Command): void {
  program
    .command('usage')
    .description("an account's usage (messages, segments, price) from a running gateway")
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (in the gateway usage.timeZone)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (inclusive; at most 366 days)')
    .option('--group-by <dimension>', 'day, month, carrier, connector or status', 'day')
    .option('--url <url>', 'the gateway API (default: $SMSGW_URL, then http://127.0.0.1:3000)', process.env.SMSGW_URL ?? 'http://127.0.0.1:3000')
    .option('--key <apiKey>', 'the account API key (default: $SMSGW_API_KEY)')
    .option('--csv', 'print CSV (UTF-8 with BOM) instead of a table')
    .action(async (options: UsageCommandOptions) => {
      process.stdout.write(await fetchUsage(options));
    });
}

async function fetchUsage(options: UsageCommandOptions): Promise<string | Buffer> {
  const key = options.key ?? process.env.SMSGW_API_KEY;
  if (key === undefined || key === '') throw cliError('CLI_INVALID_OPTION', 'an API key is needed: --key or SMSGW_API_KEY');
  let url: URL;
  try {
    url = new URL('/v1/usage', options.url);
  } catch {
    throw cliError('CLI_INVALID_OPTION', `--url "${options.url}" is not a URL`);
  }
  url.search = new URLSearchParams({ from: options.from, to: options.to, groupBy: options.groupBy, format: options.csv === true ? 'csv' : 'json' }).toString();
  const { request } = await import('undici');
  const response = await request(url, { headers: { authorization: `Bearer ${key}` }, headersTimeout: 30_000, bodyTimeout: 30_000 }).catch((error: unknown) => {
    throw cliError('CLI_GATEWAY_UNREACHABLE', `${url.origin}: ${error instanceof Error ? error.message : String(error)}`);
  });
  // The bytes as sent: a text decoder would drop the CSV's byte order mark, which Excel needs.
  const bytes = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode !== 200) throw refusal(response.statusCode, bytes.toString('utf8'));
  return options.csv === true ? bytes : table(JSON.parse(bytes.toString('utf8')) as UsageBody);
}

/** The gateway's coded refusal, as the gateway gave it. */
function refusal(status: number, text: string): Error {
  let body: { code?: unknown; message?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not one of the gateway's answers (a proxy's page): the status says enough.
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  return new CodedError(code, { message, retriable: status === 429 || status >= 500 });
}

function table(body: UsageBody): string {
  const currencies = [...new Set([...body.items, body.total].flatMap((row) => Object.keys(row.price ?? {})))].sort();
  const line = (key: string, row: UsageFiguresBody): string[] => [key, String(row.messages), String(row.segments), ...currencies.map((c) => (row.price?.[c] === undefined ? '' : String(row.price[c])))];
  const rows = [
    [body.groupBy, 'messages', 'segments', ...currencies.map((c) => `price ${c}`)],
    ...body.items.map((item) => line(typeof item[body.groupBy] === 'string' ? (item[body.groupBy] as string) : '', item)),
    line('total', body.total),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const text = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd());
  return `${text.join('\n')}\n(days in ${body.timeZone})\n`;
}
