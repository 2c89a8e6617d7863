// A load killed with SIGKILL part-way leaves the warehouse exactly as before; running it again completes it.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { DEFAULT_GENERATE_OPTIONS, generateSample } from '../pipelines/generate/index.ts';
import { REPO_ROOT } from '../pipelines/project-paths.ts';
import { tempDir } from './helpers/fixtures.ts';

const CLI = join(REPO_ROOT, 'pipelines', 'bin', 'crm-tiers.mjs');

interface WarehouseState {
  readonly customers: number;
  readonly orders: number;
  readonly loads: number;
  readonly staged: number;
}

async function stateOf(path: string): Promise<WarehouseState> {
  const warehouse = await Warehouse.open(path, { readOnly: true });
  try {
    const [state] = await warehouse.rows<WarehouseState>(`
      select (select count(*) from raw_customers) as customers, (select count(*) from raw_orders) as orders,
        (select count(distinct load_id) from load_files) as loads,
        (select count(*) from information_schema.tables where table_name like '\\_loading\\_%' escape '\\') as staged`);
    return state as WarehouseState;
  } finally {
    warehouse.close();
  }
}

/** Starts `crm-tiers load`, and kills it with SIGKILL as soon as it reports the file named `afterFile` done. */
function loadAndKill(warehouse: string, input: string, afterFile: string): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--warehouse', warehouse, 'load', input], {
      cwd: REPO_ROOT,
      env: { ...process.env, CRM_TIERS_PROGRESS: '1' }, // progress lines tell when to kill
    });
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!killed && stderr.includes(`${afterFile}:`)) {
        killed = child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve({ killed, stderr }));
  });
}

describe('a load killed part-way (kill -9)', () => {
  it('leaves the previous data in place, and a rerun completes the new load', async () => {
    const work = tempDir('kill');
    const warehouse = join(work, 'warehouse.duckdb');
    const small = join(work, 'small');
    const large = join(work, 'large');
    await generateSample({ ...DEFAULT_GENERATE_OPTIONS, customers: 300, months: 12, outDir: small });
    const largeSummary = await generateSample({ ...DEFAULT_GENERATE_OPTIONS, customers: 60_000, months: 36, seed: 5, outDir: large });
    const expectedOrders = largeSummary.files.find((f) => f.table === 'orders')?.rows ?? 0;

    expect(spawnSync(process.execPath, [CLI, '--warehouse', warehouse, 'load', small], { cwd: REPO_ROOT }).status).toBe(0);
    const before = await stateOf(warehouse);
    expect(before).toMatchObject({ customers: 300, loads: 1, staged: 0 });

    // killed while it writes orders (customers done), and again while it writes the small tables after orders
    for (const afterFile of ['customers.csv', 'orders.csv']) {
      const { killed, stderr } = await loadAndKill(warehouse, large, afterFile);
      expect(killed, `the load finished before it could be killed:\n${stderr}`).toBe(true);
      const after = await stateOf(warehouse);
      expect({ customers: after.customers, orders: after.orders, loads: after.loads }).toEqual({ customers: before.customers, orders: before.orders, loads: 1 });
    }

    const rerun = spawnSync(process.execPath, [CLI, '--warehouse', warehouse, '--json', 'load', large], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(rerun.status, rerun.stderr).toBe(0);
    const done = await stateOf(warehouse);
    expect(done).toEqual({ customers: 60_000, orders: expectedOrders, loads: 2, staged: 0 });
  }, 180_000);
});
