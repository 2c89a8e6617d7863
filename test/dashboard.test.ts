// Fast checks of the dashboard library (no Evidence build, no browser): see dashboard.browser.test.ts for the site.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, evidenceEnvironment } from '../pipelines/dashboard/build.ts';
import { DASHBOARDS_DIR, REPO_ROOT, WAREHOUSE_SOURCE_DIR, evidenceCliPath } from '../pipelines/dashboard/paths.ts';
import { previewDashboard } from '../pipelines/dashboard/preview.ts';

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'crm-tiers-dashboard-unit-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('dashboard paths', () => {
  it('are anchored at the repository root, not the working directory', () => {
    expect(DASHBOARDS_DIR).toBe(join(REPO_ROOT, 'dashboards'));
    expect(evidenceCliPath()).toMatch(/@evidence-dev[\\/]evidence[\\/]cli\.js$/);
  });
});

describe('buildDashboard', () => {
  it('fails clearly, before running Evidence, when the warehouse file does not exist', async () => {
    await expect(buildDashboard({ warehousePath: join(workDir, 'missing.duckdb') })).rejects.toThrow(/warehouse not found: .*missing\.duckdb/);
  });

  it('points the warehouse source at the file given (relative to the source directory) and turns telemetry off', () => {
    const warehouse = join(workDir, 'some', 'warehouse.duckdb');
    const env = evidenceEnvironment(warehouse);
    const filename = env['EVIDENCE_SOURCE__warehouse__filename']!;
    expect(filename.startsWith('/')).toBe(false);
    expect(resolve(WAREHOUSE_SOURCE_DIR, filename)).toBe(warehouse);
    expect(env['SEND_ANONYMOUS_USAGE_STATS']).toBe('no');
    // under vitest, its variables must not reach Evidence's own Vite
    expect(env['VITEST']).toBeUndefined();
    expect(env['NODE_ENV']).toBeUndefined();
  });
});

describe('previewDashboard', () => {
  it('fails clearly when the site is not built', async () => {
    await expect(previewDashboard({ port: 0, dir: join(workDir, 'no-build') })).rejects.toThrow(/not built yet/);
  });

  it('serves the built site on 127.0.0.1, pages as <route>/index.html, 404 otherwise', async () => {
    const site = join(workDir, 'site');
    mkdirSync(join(site, 'tiers'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(site, 'tiers', 'index.html'), '<h1>tiers</h1>');
    const preview = await previewDashboard({ port: 0, dir: site });
    try {
      expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await (await fetch(preview.url)).text()).toBe('<h1>home</h1>');
      expect(await (await fetch(new URL('tiers/', preview.url))).text()).toBe('<h1>tiers</h1>');
      expect((await fetch(new URL('nothing-here/', preview.url))).status).toBe(404);
    } finally {
      await preview.close();
    }
  });

  it('says so when the port is taken', async () => {
    const site = join(workDir, 'site2');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'index.html'), 'x');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(previewDashboard({ port, dir: site })).rejects.toThrow(new RegExp(`port ${port} .* already in use`));
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
  });
});
