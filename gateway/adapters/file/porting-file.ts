import { dirname, resolve } from 'node:path';
import { isCodedError } from '../../../common/index.ts';
import { MemoryPortingSource, ROUTE_ERRORS, RouteError, routeError, type RoutingTable } from '../../../router/index.ts';
import { importPortingCsv } from './porting-csv-import.ts';

/**
 * The portability file of the memory mode (`mnp.file`, or `smsgw serve --mnp-file`): the CSV `smsgw mnp import`
 * reads, through the same importer, loaded whole into a fresh MemoryPortingSource. The import command stores
 * the good rows and reports the bad ones; a file the gateway runs on must be clean, so one bad row refuses it.
 */
export interface BadPortingRow {
  /** 1-based line in the file, as editors count. */
  readonly line: number;
  readonly reason: string;
}

/** Bad rows kept on the error; the rest are only counted. */
const MAX_KEPT_ROWS = 20;

/** ROUTE_PORTING_ROW_INVALID for a whole file: where the first bad row is, and how many there are. */
export class PortingFileError extends RouteError {
  readonly file: string;
  /** Line of the first bad row. */
  readonly line: number;
  /** The first bad rows, in file order. */
  readonly rows: readonly BadPortingRow[];
  /** Every bad row, counted. */
  readonly bad: number;

  constructor(file: string, rows: readonly [BadPortingRow, ...BadPortingRow[]], bad: number) {
    const [first] = rows;
    const more = bad > 1 ? `; ${bad - 1} more bad row(s) (smsgw mnp import ${file} lists them all)` : '';
    super('ROUTE_PORTING_ROW_INVALID', ROUTE_ERRORS.ROUTE_PORTING_ROW_INVALID, `${file}:${first.line}: ${first.reason}${more}`, { file, line: first.line, bad });
    this.file = file;
    this.line = first.line;
    this.rows = rows;
    this.bad = bad;
  }
}

export interface PortingFileOptions {
  /** Country for national numbers in the file (`090...`). */
  readonly defaultCountry?: string;
  /** The carrier ids a number may be ported to (the routing table's `knownCarriers`). */
  readonly knownCarriers?: ReadonlySet<string>;
  /** Names the setting in a refusal to read the file (e.g. `gateway.yaml: mnp.file`). */
  readonly setting?: string;
}

export interface LoadedPortingFile {
  readonly source: MemoryPortingSource;
  readonly file: string;
  /** Ported numbers held (a later row for the same number replaces an earlier one). */
  readonly rows: number;
}

/** Reads a portability CSV into a new MemoryPortingSource; throws PortingFileError naming the first bad line. */
export async function loadPortingFile(file: string, options: PortingFileOptions = {}): Promise<LoadedPortingFile> {
  const source = new MemoryPortingSource();
  const kept: BadPortingRow[] = [];
  let bad: number;
  try {
    ({ bad } = await importPortingCsv(file, source, {
      ...(options.defaultCountry === undefined ? {} : { defaultCountry: options.defaultCountry }),
      ...(options.knownCarriers === undefined ? {} : { knownCarriers: options.knownCarriers }),
      onBadRow: (line, reason) => {
        if (kept.length < MAX_KEPT_ROWS) kept.push({ line, reason });
      },
    }));
  } catch (error: unknown) {
    if (isCodedError(error)) throw error;
    const setting = options.setting === undefined ? '' : `${options.setting}: `;
    throw routeError('ROUTE_CONFIG_INVALID', `${setting}cannot read "${file}": ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });
  }
  const [first, ...others] = kept;
  if (first !== undefined) throw new PortingFileError(file, [first, ...others], bad);
  return { source, file, rows: source.size };
}

/** The configuration's `mnp.file`, resolved against the configuration file's folder (the working directory without one). */
export function portingFileOf(table: RoutingTable, configPath: string | undefined): string | undefined {
  const file = table.config.mnp?.file;
  if (file === undefined) return undefined;
  return resolve(configPath === undefined ? process.cwd() : dirname(resolve(configPath)), file);
}
