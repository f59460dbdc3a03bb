/**
 * Real headless Chromium for the console's browser tests (`*.browser.test.ts`): Debian's `chromium` package driven
 * by playwright-core (whose own browser download is not used), Japanese or English pages in a fixed time zone and
 * viewport, and full-page screenshots.
 *
 * - `useChromium()` in a test file launches one browser for the file (beforeAll) and closes it with every context
 *   it opened (afterAll), then checks that none of the browser's processes is left. A test that fails leaves a
 *   screenshot of each page still open, and an uncaught page error (`pageerror`) fails the test it happened in.
 * - `screenshot(page, name)` writes `artifacts/screenshots/<name>.png`. With `{ readme: true }` and
 *   UPDATE_README_SCREENSHOTS=1 it also writes `docs/screenshots/<name>.png`, the committed file the README shows.
 *
 * CHROMIUM_PATH replaces the executable (default /usr/bin/chromium; `npm run setup:test` installs it).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { waitFor } from './wait-for.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'artifacts', 'screenshots');
export const README_SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The console's two languages, as a browser announces them. */
export type ConsoleLocale = 'ja-JP' | 'en-US';

/** The same window for every page, so README screenshots keep their size from one run to the next. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** The Chromium executable: CHROMIUM_PATH or Debian's; a clear error when it is not there. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH === undefined || env.CHROMIUM_PATH === '' ? DEFAULT_CHROMIUM_PATH : env.CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${path}${env.CHROMIUM_PATH === undefined ? '' : ' (CHROMIUM_PATH)'}: the browser tests drive Debian's chromium ` +
        'package; install it with `npm run setup:test` (apt-get install chromium fonts-noto-cjk), or set CHROMIUM_PATH',
    );
  }
  return path;
}

/**
 * This process's children that lead their own process group: playwright starts Chromium detached, so the browser
 * and every process it forks share a group led by the one child.
 */
function groupLeaders(): Set<number> {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,pgid=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return new Set(); // ps exits 1 when there is none
  }
  const rows = out.split('\n').map((line) => line.trim().split(/\s+/).map(Number));
  return new Set(rows.filter(([pid, pgid]) => pid !== undefined && pid > 0 && pid === pgid).map(([pid]) => pid as number));
}

/** Whether any process of the group led by `pgid` still exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function groupListing(pgid: number): string {
  try {
    return execFileSync('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Launches headless Chromium. The caller closes it (`useChromium` does). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // --no-sandbox: the tests may run as root (containers, CI), where Chromium's sandbox refuses to start.
    // --disable-dev-shm-usage: containers often give /dev/shm only 64 MB.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface ContextOptions {
  /** The browser's language (navigator.language and Accept-Language); default ja-JP. */
  readonly locale?: ConsoleLocale;
  /** The browser's time zone; default Asia/Tokyo. */
  readonly timezoneId?: string;
  /** Relative `page.goto` paths resolve against it (the console gateway's baseUrl). */
  readonly baseURL?: string;
}

/** Default wait for a locator or a navigation: well inside the browser project's test timeout. */
export const ACTION_TIMEOUT_MS = 15_000;

/** A fresh context (its own cookies and storage) in the given language and time zone. */
export async function openContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: options.locale ?? 'ja-JP',
    timezoneId: options.timezoneId ?? 'Asia/Tokyo',
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return context;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Where `screenshot` writes `name`: always under artifacts/, and for a README screenshot under docs/ when asked to. */
export function screenshotPaths(name: string, readme: boolean, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!NAME.test(name)) throw new Error(`screenshot name "${name}": use lower-case letters, digits and dashes (it becomes a file name)`);
  const paths = [join(SCREENSHOT_DIR, `${name}.png`)];
  if (readme && env.UPDATE_README_SCREENSHOTS === '1') paths.push(join(README_SCREENSHOT_DIR, `${name}.png`));
  return paths;
}

export interface ScreenshotOptions {
  /** A screen the README shows: also written to docs/screenshots/ when UPDATE_README_SCREENSHOTS=1. */
  readonly readme?: boolean;
}

/** A full-page PNG of `page` (animations stopped, caret hidden); returns the paths written. */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string[]> {
  const paths = screenshotPaths(name, options.readme === true);
  const png = await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
  for (const path of paths) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, png);
  }
  return paths;
}

export interface ChromiumSession {
  /** The file's browser (launched in beforeAll). */
  readonly browser: Browser;
  /** A new context: closed after the test that opened it, or at the end of the file when opened in beforeAll. */
  context(options?: ContextOptions): Promise<BrowserContext>;
  /** A new page in a new context. */
  page(options?: ContextOptions): Promise<Page>;
}

/**
 * One Chromium for the calling test file. Call at the top level of the file; use the session inside hooks and
 * tests. Contexts opened in a test (or its beforeEach) close after it; those opened in beforeAll stay for the file.
 */
export function useChromium(): ChromiumSession {
  let browser: Browser | undefined;
  /** The process groups the launch made, checked empty once the browser is closed. */
  let groups: number[] = [];
  const fileContexts = new Set<BrowserContext>();
  const testContexts = new Set<BrowserContext>();
  let inTest = false;
  let pageErrors: string[] = [];

  const track = (context: BrowserContext): BrowserContext => {
    const owner = inTest ? testContexts : fileContexts;
    owner.add(context);
    context.on('close', () => owner.delete(context));
    const watch = (page: Page): void => {
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    };
    context.pages().forEach(watch);
    context.on('page', watch);
    return context;
  };

  const session: ChromiumSession = {
    get browser(): Browser {
      if (browser === undefined) throw new Error('useChromium: the browser is launched in beforeAll; use it inside hooks and tests');
      return browser;
    },
    context: async (options) => track(await openContext(session.browser, options)),
    page: async (options) => (await session.context(options)).newPage(),
  };

  beforeAll(async () => {
    const before = groupLeaders();
    browser = await launchChromium();
    groups = [...groupLeaders()].filter((pid) => !before.has(pid));
  });

  beforeEach(() => {
    inTest = true;
  });

  afterEach(async (context) => {
    inTest = false;
    const errors = pageErrors;
    pageErrors = [];
    if (context.task.result?.state === 'fail') {
      const slug = context.task.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test';
      const pages = [...fileContexts, ...testContexts].flatMap((c) => c.pages()).filter((p) => !p.isClosed());
      for (const [i, page] of pages.entries()) {
        await screenshot(page, `failed-${slug}-${i + 1}`).catch(() => undefined);
      }
    }
    await Promise.all([...testContexts].map((c) => c.close().catch(() => undefined)));
    if (errors.length > 0) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
  });

  afterAll(async () => {
    await Promise.all([...fileContexts].map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    browser = undefined;
    for (const pgid of groups.splice(0)) {
      try {
        await waitFor(() => !groupAlive(pgid), 'the Chromium processes to exit', 10_000, 50);
      } catch {
        const left = groupListing(pgid);
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
        throw new Error(`Chromium processes were left running after the browser closed (now killed):\n${left}`);
      }
    }
  });

  return session;
}
