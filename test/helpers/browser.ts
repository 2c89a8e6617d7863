import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Headless Chromium from Debian's `chromium` package (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where page screenshots go (git-ignored). */
export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** True for http(s) URLs on this machine (127.0.0.0/8, localhost, ::1) and for in-page URLs (data:, blob:). */
export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What a browser context did that a dashboard page must not do. */
export interface PageProblems {
  /** console.error messages and uncaught exceptions. */
  readonly consoleErrors: string[];
  /** Requests to anything but this machine (blocked before they leave). */
  readonly outboundRequests: string[];
  /** Requests that failed, with the reason. */
  readonly failedRequests: { url: string; error: string }[];
  /** Responses with a 4xx or 5xx status, as `<status> <url>`. */
  readonly errorResponses: string[];
}

/**
 * A browser context that blocks (and records) every request leaving this machine, and records
 * console errors, uncaught exceptions, failed requests and 4xx/5xx responses of its pages and workers.
 */
export async function openWatchedContext(browser: Browser, options: { timezoneId?: string } = {}): Promise<{
  context: BrowserContext;
  problems: PageProblems;
  newPage(): Promise<Page>;
}> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: options.timezoneId ?? 'Asia/Shanghai',
    locale: 'en-US',
  });
  const problems: PageProblems = { consoleErrors: [], outboundRequests: [], failedRequests: [], errorResponses: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    problems.outboundRequests.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('requestfailed', (request) => {
    problems.failedRequests.push({ url: request.url(), error: request.failure()?.errorText ?? 'unknown' });
  });
  context.on('response', (response) => {
    if (response.status() >= 400) problems.errorResponses.push(`${response.status()} ${response.url()}`);
  });
  const newPage = async (): Promise<Page> => {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.consoleErrors.push(`uncaught: ${error.message}`));
    return page;
  };
  return { context, problems, newPage };
}

/** A BigValue as shown: its title, value and comparison line. */
export interface ShownBigValue {
  readonly title: string;
  readonly value: string;
  readonly comparison: string;
}

/** The BigValue components on the page, in page order. */
export async function readBigValues(page: Page): Promise<ShownBigValue[]> {
  return page.evaluate(() => {
    const clean = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
    return Array.from(document.querySelectorAll('div.inline-block > p.text-sm'))
      .map((titleElement) => {
        const card = titleElement.parentElement!;
        return {
          title: clean(titleElement.textContent),
          value: clean(card.querySelector('div.text-xl')?.textContent),
          comparison: clean(card.querySelector('p.text-xs')?.textContent),
        };
      });
  });
}

/** An ECharts chart as drawn: its size, and which of the given colours appear among its pixels. */
export interface DrawnChart {
  readonly width: number;
  readonly height: number;
  readonly coloursFound: string[];
}

/** Every ECharts canvas on the page, with the given #rrggbb colours looked for in its pixels. */
export async function readCharts(page: Page, colours: readonly string[]): Promise<DrawnChart[]> {
  return page.evaluate((wanted) => {
    const rgb = wanted.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    return Array.from(document.querySelectorAll<HTMLCanvasElement>('.chart-container .chart canvas')).map((canvas) => {
      const context = canvas.getContext('2d');
      const found = new Set<string>();
      if (context && canvas.width > 0 && canvas.height > 0) {
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let p = 0; p < data.length; p += 4) {
          if (data[p + 3]! < 250) continue;
          rgb.forEach(([r, g, b], i) => {
            if (Math.abs(data[p]! - r!) <= 2 && Math.abs(data[p + 1]! - g!) <= 2 && Math.abs(data[p + 2]! - b!) <= 2) {
              found.add(wanted[i]!);
            }
          });
        }
      }
      const box = canvas.getBoundingClientRect();
      return { width: box.width, height: box.height, coloursFound: [...found] };
    });
  }, colours);
}

/**
 * Runs SQL in the page's own DuckDB-Wasm (the one Evidence loads its source data into), retrying
 * until the data is loaded or `timeoutMs` passes. Proves the browser-side engine works offline.
 */
export async function queryInPage(page: Page, sql: string, timeoutMs = 30_000): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    async ({ sql, timeoutMs }) => {
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      while (Date.now() < deadline) {
        const db = (window as unknown as Record<symbol, { connect(): Promise<{ query(sql: string): Promise<{ toArray(): { toJSON(): Record<string, unknown> }[] }>; close(): Promise<void> }> } | undefined>)[
          Symbol.for('EVIDENCE_QUERY_ENGINE')
        ];
        if (db) {
          try {
            const connection = await db.connect();
            try {
              const table = await connection.query(sql);
              return table.toArray().map((row) => JSON.parse(JSON.stringify(row.toJSON(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v))));
            } finally {
              await connection.close();
            }
          } catch (error) {
            lastError = error;
          }
        }
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
      }
      throw new Error(`query did not succeed within ${timeoutMs} ms: ${String(lastError)}`);
    },
    { sql, timeoutMs },
  );
}

/** Saves a full-page screenshot as test/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
