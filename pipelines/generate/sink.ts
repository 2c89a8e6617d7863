import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Activity } from './activities.ts';
import type { Calendar } from './calendar.ts';
import { TABLE_COLUMNS, TABLE_NAMES, type TableName } from './catalog.ts';
import { CsvWriter, csvField, formatCents } from './csv-writer.ts';
import { customerId, type Customer } from './customers.ts';
import type { Order } from './orders.ts';
import type { Survey } from './surveys.ts';
import type { Ticket } from './tickets.ts';

export interface GeneratedFile {
  readonly table: string;
  readonly file: string;
  readonly rows: number;
}

function id(prefix: string, n: number, digits: number): string {
  return prefix + String(n).padStart(digits, '0');
}

/**
 * Turns one simulated customer into rows of the six export files and hands out the running ids. Files are
 * written under a '.partial' name and renamed only when complete, so an interrupted run never leaves a
 * truncated file that looks finished.
 */
export class SampleSink {
  private readonly writers: Record<TableName, CsvWriter>;
  private readonly dates: readonly string[];
  private nextOrder = 1;
  private nextActivity = 1;
  private nextSurvey = 1;
  private nextReferral = 1;
  private nextTicket = 1;

  constructor(
    private readonly outDir: string,
    calendar: Calendar,
  ) {
    this.dates = calendar.dates;
    const writers: Partial<Record<TableName, CsvWriter>> = {};
    for (const table of TABLE_NAMES) writers[table] = new CsvWriter(this.partialPath(table), TABLE_COLUMNS[table]);
    this.writers = writers as Record<TableName, CsvWriter>;
  }

  finalPath(table: TableName): string {
    return join(this.outDir, `${table}.csv`);
  }

  private partialPath(table: TableName): string {
    return `${this.finalPath(table)}.partial`;
  }

  write(
    customer: Customer,
    orders: readonly Order[],
    activities: readonly Activity[],
    surveys: readonly Survey[],
    tickets: readonly Ticket[],
  ): void {
    const { writers, dates } = this;
    const cid = customer.id;
    const created = dates[customer.createdDay] as string;
    writers.customers.write(
      `${cid},${csvField(customer.name)},${customer.type},${customer.region},${customer.channel},` +
        `${customer.industry},${customer.source},${customer.accountType},${csvField(customer.owner)},` +
        `${csvField(customer.email)},${customer.phone},${created}\n`,
    );
    if (customer.referrerIndex >= 0) {
      writers.referrals.write(`${id('R', this.nextReferral++, 7)},${customerId(customer.referrerIndex)},${cid},${created}\n`);
    }
    for (const o of orders) {
      writers.orders.write(
        `${id('O', this.nextOrder++, 8)},${cid},${dates[o.day]},${o.category},${o.quantity},` +
          `${formatCents(o.amountCents)},${formatCents(o.discountCents)},${o.status}\n`,
      );
    }
    for (const a of activities) {
      writers.activities.write(
        `${id('A', this.nextActivity++, 8)},${cid},${dates[a.day]},${a.type},${csvField(a.owner)},${csvField(a.note)}\n`,
      );
    }
    for (const s of surveys) {
      writers.surveys.write(`${id('S', this.nextSurvey++, 7)},${cid},${dates[s.day]},${s.satisfaction},${s.npsScore}\n`);
    }
    for (const t of tickets) {
      writers.tickets.write(`${id('T', this.nextTicket++, 8)},${cid},${dates[t.day]},${t.category},${t.priority},${t.status}\n`);
    }
  }

  get rowsWritten(): number {
    let rows = 0;
    for (const table of TABLE_NAMES) rows += this.writers[table].rows;
    return rows;
  }

  get wantsFlush(): boolean {
    for (const table of TABLE_NAMES) if (this.writers[table].wantsFlush) return true;
    return false;
  }

  async flush(): Promise<void> {
    for (const table of TABLE_NAMES) if (this.writers[table].wantsFlush) await this.writers[table].flush();
  }

  /** Finishes every file and moves it to its final name. */
  async close(): Promise<GeneratedFile[]> {
    await Promise.all(TABLE_NAMES.map((table) => this.writers[table].close()));
    const files: GeneratedFile[] = [];
    for (const table of TABLE_NAMES) {
      await rename(this.partialPath(table), this.finalPath(table));
      files.push({ table, file: this.finalPath(table), rows: this.writers[table].rows });
    }
    return files;
  }

  /** After a failure: stop the streams and remove the partial files. */
  async abort(): Promise<void> {
    for (const table of TABLE_NAMES) this.writers[table].destroy();
    await Promise.all(TABLE_NAMES.map((table) => rm(this.partialPath(table), { force: true })));
  }
}
