import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { DASHBOARD_BUILD_DIR } from './paths.ts';

export interface PreviewDashboardOptions {
  /** Default 4173; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1 (the site is for this machine unless asked otherwise). */
  readonly host?: string;
  /** The built site; default dashboards/build. */
  readonly dir?: string;
}

export interface DashboardPreview {
  /** e.g. http://127.0.0.1:4173/ */
  readonly url: string;
  close(): Promise<void>;
}

export const DEFAULT_PREVIEW_PORT = 4173;
export const DEFAULT_PREVIEW_HOST = '127.0.0.1';

/** Serves the built site (dashboards/build) over HTTP until `close()` is called. */
export async function previewDashboard(options: PreviewDashboardOptions = {}): Promise<DashboardPreview> {
  const port = options.port ?? DEFAULT_PREVIEW_PORT;
  const host = options.host ?? DEFAULT_PREVIEW_HOST;
  const dir = options.dir ?? DASHBOARD_BUILD_DIR;
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`the dashboard is not built yet (no ${join(dir, 'index.html')}). Run \`crm-tiers dashboard build\` first.`);
  }

  // Evidence prerenders every page as <route>/index.html (trailing slashes), and serves its
  // data (parquet, wasm, arrow) as static files: a plain static server is all it needs.
  const serve = sirv(dir, { dev: false, etag: true, extensions: ['html'] });
  const server = createServer((req, res) => {
    serve(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found\n');
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE'
        ? new Error(`cannot preview the dashboard: port ${port} on ${host} is already in use (pass another port).`)
        : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });

  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/`,
    close: () =>
      new Promise<void>((resolvePromise, reject) => {
        server.close((error) => (error ? reject(error) : resolvePromise()));
        server.closeAllConnections();
      }),
  };
}
