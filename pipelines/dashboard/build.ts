import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  DASHBOARD_BUILD_DIR,
  DASHBOARDS_DIR,
  EVIDENCE_WORK_DIR,
  WAREHOUSE_SOURCE_DIR,
  WAREHOUSE_SOURCE_NAME,
  evidenceCliPath,
} from './paths.ts';

export interface BuildDashboardOptions {
  /** The warehouse file. Relative paths are taken from the working directory, as `Warehouse.open` does. */
  readonly warehousePath: string;
  /** Receives Evidence's output line by line (default: discarded; the tail is kept for errors). */
  readonly log?: (line: string) => void;
  /**
   * Where the site goes (default dashboards/build). Evidence always builds into dashboards/build; with another
   * folder the result is moved there and whatever dashboards/build held is put back, so a test build never
   * replaces the site a person built with `npm start`.
   */
  readonly outDir?: string;
}

export interface BuildDashboardResult {
  /** The static site (dashboards/build). */
  readonly outDir: string;
  readonly seconds: number;
}

/** An Evidence step that failed, exited non-zero, or printed an error while exiting 0. */
export class DashboardBuildError extends Error {
  constructor(
    readonly step: 'sources' | 'build',
    readonly exitCode: number | null,
    readonly reason: string,
    readonly outputTail: readonly string[],
  ) {
    super(
      `dashboard ${step} failed: ${reason}` +
        (outputTail.length > 0 ? `\n--- last lines of \`evidence ${step}\` output ---\n${outputTail.join('\n')}` : ''),
    );
    this.name = 'DashboardBuildError';
  }
}

/** How many lines of Evidence's output an error shows. */
const TAIL_LINES = 40;

/**
 * Lines that mean a query or page failed even though Evidence exited 0: build:strict still exits 0
 * when a page's SQL fails (the error is only printed, and the page shows an error box).
 * Matched on output without colour codes.
 */
const ERROR_MARKERS: readonly RegExp[] = [
  /Error in Query!/, // @evidence-dev/sdk Query: `<query id> | Error in Query! <DuckDB message>`
  /\bError in [A-Z][A-Za-z ]*:/, // a component: `Error in Bar Chart: ...`, `Error in Value: ...`
  /^\[ERROR\]:/, // Evidence's logger at error level
  /\b(Catalog|Binder|Parser|Conversion|Invalid Input|Not implemented|Out of Range|IO|Internal) Error:/, // DuckDB
  /Failed to load sql file/, // a `queries:` entry in a page's frontmatter that names no file
  /Error encountered while updating Parquet URLs/, // loading source data (patched universal-sql)
  /^\s*✖/, // a source query that failed (`evidence sources`)
];

/** Evidence's environment for our warehouse: the source's `filename` option, telemetry off. */
export function evidenceEnvironment(warehousePath: string): NodeJS.ProcessEnv {
  // The DuckDB connector joins `filename` to the source directory, so it must be relative to it.
  const filename = relative(WAREHOUSE_SOURCE_DIR, resolve(warehousePath));
  const inherited = { ...process.env };
  // Vite (inside Evidence) decides NODE_ENV itself; a test runner's value breaks the prerender.
  delete inherited['NODE_ENV'];
  if (inherited['VITEST']) {
    // Vitest mirrors import.meta.env into process.env (DEV=1, SSR=1, MODE=test, ...): not for Evidence's Vite.
    for (const key of ['TEST', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL']) delete inherited[key];
    for (const key of Object.keys(inherited)) if (key.startsWith('VITEST')) delete inherited[key];
  }
  return {
    ...inherited,
    [`EVIDENCE_SOURCE__${WAREHOUSE_SOURCE_NAME}__filename`]: filename,
    // evidence.settings.json turns telemetry off; this is a second guard.
    SEND_ANONYMOUS_USAGE_STATS: 'no',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/**
 * Builds the static dashboard site from the warehouse: cleans dashboards/build, then runs the local
 * Evidence CLI's `sources --strict` and `build:strict`. The warehouse file must not be open in this
 * process (DuckDB's lock would stop Evidence from opening it read-only): close it before calling.
 */
export async function buildDashboard(options: BuildDashboardOptions): Promise<BuildDashboardResult> {
  const started = performance.now();
  const warehouse = resolve(options.warehousePath);
  if (!existsSync(warehouse) || !statSync(warehouse).isFile()) {
    throw new Error(`warehouse not found: ${options.warehousePath} (${warehouse}). Run \`crm-tiers run\` first, or pass --warehouse.`);
  }
  const cli = evidenceCliPath();
  const env = evidenceEnvironment(warehouse);
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir ?? DASHBOARD_BUILD_DIR);
  const keptAside = outDir !== DASHBOARD_BUILD_DIR && existsSync(DASHBOARD_BUILD_DIR) ? `${DASHBOARD_BUILD_DIR}.kept-${process.pid}` : null;
  if (keptAside) await rename(DASHBOARD_BUILD_DIR, keptAside);
  try {
    await buildInPlace(cli, env, warehouse, log);
    if (outDir !== DASHBOARD_BUILD_DIR) {
      await rm(outDir, { recursive: true, force: true });
      await cp(DASHBOARD_BUILD_DIR, outDir, { recursive: true });
      await rm(DASHBOARD_BUILD_DIR, { recursive: true, force: true });
    }
  } finally {
    if (keptAside) {
      await rm(DASHBOARD_BUILD_DIR, { recursive: true, force: true });
      await rename(keptAside, DASHBOARD_BUILD_DIR);
    }
  }
  return { outDir, seconds: (performance.now() - started) / 1000 };
}

async function buildInPlace(cli: string, env: NodeJS.ProcessEnv, warehouse: string, log: (line: string) => void): Promise<void> {
  // Start from nothing: Evidence does not clean build/ between builds, and stale source data
  // (a mart that is gone) would otherwise be shipped again.
  await rm(DASHBOARD_BUILD_DIR, { recursive: true, force: true });
  await rm(join(EVIDENCE_WORK_DIR, 'template', 'static', 'data'), { recursive: true, force: true });
  await rm(join(EVIDENCE_WORK_DIR, 'template', 'build'), { recursive: true, force: true });

  log(`evidence sources (warehouse: ${warehouse})`);
  await runEvidenceStep('sources', cli, ['sources', '--strict'], env, log);
  log('evidence build:strict');
  await runEvidenceStep('build', cli, ['build:strict'], env, log);

  if (!existsSync(join(DASHBOARD_BUILD_DIR, 'index.html'))) {
    throw new DashboardBuildError('build', 0, `Evidence exited 0 but ${join(DASHBOARD_BUILD_DIR, 'index.html')} was not written`, []);
  }
}

async function runEvidenceStep(
  step: 'sources' | 'build',
  cli: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  const tail: string[] = [];
  const errors: string[] = [];
  const onLine = (raw: string): void => {
    const line = stripAnsi(raw).replace(/\s+$/, '');
    if (line === '') return;
    log(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    if (errors.length < 10 && !errors.includes(line) && ERROR_MARKERS.some((marker) => marker.test(line))) errors.push(line);
  };

  const exitCode = await new Promise<number | null>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: DASHBOARDS_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    splitLines(child.stdout, onLine);
    splitLines(child.stderr, onLine);
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(signal ? null : code));
  });

  if (exitCode !== 0) {
    const reason = exitCode === null ? 'Evidence was killed by a signal' : `Evidence exited with code ${exitCode}`;
    throw new DashboardBuildError(step, exitCode, withLockHint(reason, tail), tail);
  }
  if (errors.length > 0) {
    throw new DashboardBuildError(
      step,
      exitCode,
      withLockHint(`Evidence exited 0 but reported errors:\n  ${errors.join('\n  ')}`, tail),
      tail,
    );
  }
}

function withLockHint(reason: string, tail: readonly string[]): string {
  return tail.some((line) => /Could not set lock on file|Conflicting lock/i.test(line))
    ? `${reason}\nThe warehouse file is locked by another process (close it before building the dashboard).`
    : reason;
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
    pending = '';
  });
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
