import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import { createKysely } from '../pipelines/db/kysely.ts';
import { DuckDbDialect } from '../pipelines/db/kysely-dialect.ts';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { Kysely as KyselyClass } from 'kysely';

interface CustomersTable {
  id: number;
  name: string;
  tier: string;
  /** DATE: read as 'YYYY-MM-DD'; written as an ISO string or a (UTC midnight) Date. */
  signup_date: ColumnType<string, string | Date, string | Date>;
  last_seen: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lifetime_value: number; // DECIMAL(18,2)
  events: number; // BIGINT
  count: number; // a column literally named count
  active: boolean;
}

interface EventsTable {
  id: Generated<number>;
  label: string;
}

interface DB {
  customers: CustomersTable;
  events: EventsTable;
}

const CUSTOMERS = [
  { id: 1, name: 'Ada', tier: 'gold', signup_date: '2024-01-05', last_seen: new Date('2024-03-01T08:15:30.123Z'), lifetime_value: 1234567.89, events: 9007199254740991, count: 7, active: true },
  { id: 2, name: 'Bob', tier: 'silver', signup_date: '2024-02-10', last_seen: null, lifetime_value: 0.1, events: 3, count: 2, active: false },
  { id: 3, name: 'Cy', tier: 'gold', signup_date: '2024-02-29', last_seen: new Date('2024-03-02T00:00:00Z'), lifetime_value: 0.2, events: 4, count: 1, active: true },
  { id: 4, name: 'Di', tier: 'bronze', signup_date: '2023-12-31', last_seen: null, lifetime_value: 19.99, events: 0, count: 0, active: true },
];

let warehouse: Warehouse;
let db: Kysely<DB>;

beforeEach(async () => {
  warehouse = await Warehouse.open(':memory:');
  db = createKysely<DB>(warehouse);
  await db.schema.createTable('customers')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('name', 'varchar', (col) => col.notNull())
    .addColumn('tier', 'varchar', (col) => col.notNull())
    .addColumn('signup_date', 'date', (col) => col.notNull())
    .addColumn('last_seen', 'timestamp')
    .addColumn('lifetime_value', 'decimal(18, 2)', (col) => col.notNull())
    .addColumn('events', 'bigint', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('active', 'boolean', (col) => col.notNull())
    .execute();
});

afterEach(async () => {
  await db.destroy();
  warehouse.close();
});

async function seed(): Promise<void> {
  await db.insertInto('customers').values(CUSTOMERS).execute();
}

describe('DuckDbDialect: select/insert round trip', () => {
  it('inserts rows and selects them back with where/orderBy, exact values and JS types', async () => {
    await seed();
    const rows = await db.selectFrom('customers').selectAll().where('tier', '=', 'gold').orderBy('id', 'desc').execute();
    expectTypeOf(rows).toEqualTypeOf<{
      id: number; name: string; tier: string; signup_date: string; last_seen: Date | null;
      lifetime_value: number; events: number; count: number; active: boolean;
    }[]>();
    expect(rows).toEqual([CUSTOMERS[2], CUSTOMERS[0]]);
    const [cy] = rows;
    expect(typeof cy!.id).toBe('number');
    expect(typeof cy!.events).toBe('number');
    expect(typeof cy!.lifetime_value).toBe('number');
    expect(cy!.active).toBe(true);
    expect(cy!.last_seen).toBeInstanceOf(Date);
  });

  it('groups with count(*) as count and a column named count, both as numbers', async () => {
    await seed();
    const rows = await db.selectFrom('customers')
      .select((eb) => [
        'tier',
        eb.fn.countAll<number>().as('count'),
        eb.fn.sum<number>('count').as('count_sum'),
        eb.fn.max('count').as('count_max'),
      ])
      .groupBy('tier')
      .orderBy('tier')
      .execute();
    expect(rows).toEqual([
      { tier: 'bronze', count: 1, count_sum: 0, count_max: 0 },
      { tier: 'gold', count: 2, count_sum: 8, count_max: 7 },
      { tier: 'silver', count: 1, count_sum: 2, count_max: 2 },
    ]);
    for (const row of rows) expect(typeof row.count).toBe('number');

    const only = await db.selectFrom('customers').select('count').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(only).toEqual({ count: 7 });
  });

  it('sums DECIMAL(18,2) to numbers with the right cents, and reads BIGINT as number', async () => {
    await seed();
    const totals = await db.selectFrom('customers')
      .select((eb) => [
        eb.fn.sum<number>('lifetime_value').as('total'),
        eb.fn.sum<number>('events').filterWhere('id', '>', 1).as('events'),
        eb.fn.countAll<number>().as('n'),
      ])
      .executeTakeFirstOrThrow();
    expect(totals).toEqual({ total: 1234588.18, events: 7, n: 4 });
    expect(typeof totals.events).toBe('number'); // SUM(BIGINT) is HUGEINT in DuckDB

    const small = await db.selectFrom('customers')
      .select((eb) => eb.fn.sum<number>('lifetime_value').as('total'))
      .where('id', 'in', [2, 3])
      .executeTakeFirstOrThrow();
    expect(small.total).toBe(0.3); // 0.10 + 0.20 in DECIMAL arithmetic: no 0.30000000000000004

    const big = await db.selectFrom('customers').select('events').where('events', '=', 9007199254740991).executeTakeFirstOrThrow();
    expect(big.events).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('surfaces a BIGINT beyond 2^53 as an error rather than a rounded number', async () => {
    await expect(sql`select 9007199254740993::bigint as x`.execute(db)).rejects.toThrow(RangeError);
  });
});

describe('DuckDbDialect: dates and timestamps', () => {
  it('reads DATE as YYYY-MM-DD and filters on a Date parameter', async () => {
    await seed();
    // Kysely types a where operand with the column's select type (string for DATE), so a Date goes in
    // through sql<string>; at run time it binds as a TIMESTAMP at UTC midnight.
    const from = new Date('2024-02-10T00:00:00Z');
    const rows = await db.selectFrom('customers')
      .select(['id', 'signup_date'])
      .where('signup_date', '>=', sql<string>`${from}`)
      .orderBy('signup_date')
      .execute();
    expect(rows).toEqual([{ id: 2, signup_date: '2024-02-10' }, { id: 3, signup_date: '2024-02-29' }]);

    const before = await db.selectFrom('customers').select('id')
      .where(sql.ref('signup_date'), '<', new Date('2024-01-01T00:00:00Z')).execute();
    expect(before).toEqual([{ id: 4 }]);

    // ISO strings work too: DuckDB casts VARCHAR parameters to DATE.
    const exact = await db.selectFrom('customers').select('id').where('signup_date', '=', '2024-02-29').execute();
    expect(exact).toEqual([{ id: 3 }]);
  });

  it('writes a Date into a DATE column as its UTC day', async () => {
    await db.insertInto('customers').values({ ...CUSTOMERS[0]!, signup_date: new Date('2024-07-04T00:00:00Z') }).execute();
    const row = await db.selectFrom('customers').select('signup_date').executeTakeFirstOrThrow();
    expect(row.signup_date).toBe('2024-07-04');
  });

  it('round-trips timestamps to the millisecond and compares them with Date parameters', async () => {
    await seed();
    const seen = await db.selectFrom('customers').select(['id', 'last_seen'])
      .where('last_seen', '=', new Date('2024-03-01T08:15:30.123Z')).execute();
    expect(seen).toEqual([{ id: 1, last_seen: new Date('2024-03-01T08:15:30.123Z') }]);
    expect(seen[0]!.last_seen!.getTime()).toBe(Date.UTC(2024, 2, 1, 8, 15, 30, 123));

    const stamp = new Date('2025-06-30T23:59:59.999Z');
    await db.updateTable('customers').set({ last_seen: stamp }).where('id', '=', 2).execute();
    const back = await db.selectFrom('customers').select('last_seen').where('id', '=', 2).executeTakeFirstOrThrow();
    expect(back.last_seen).toEqual(stamp);

    const text = await sql<{ t: string }>`select strftime(${stamp}, '%Y-%m-%d %H:%M:%S.%g') as t`.execute(db);
    expect(text.rows).toEqual([{ t: '2025-06-30 23:59:59.999' }]);
  });
});

describe('DuckDbDialect: affected rows', () => {
  it('reports numAffectedRows for insert, update and delete as bigints, with no rows', async () => {
    const inserted = await db.insertInto('customers').values(CUSTOMERS).executeTakeFirstOrThrow();
    expect(inserted.numInsertedOrUpdatedRows).toBe(4n);

    const updated = await db.updateTable('customers').set({ tier: 'platinum' }).where('tier', '=', 'gold').executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);

    const none = await db.updateTable('customers').set({ tier: 'x' }).where('id', '=', 99).executeTakeFirstOrThrow();
    expect(none.numUpdatedRows).toBe(0n);

    const deleted = await db.deleteFrom('customers').where('id', '=', 4).executeTakeFirstOrThrow();
    expect(deleted.numDeletedRows).toBe(1n);

    const raw = await sql`update customers set active = ${false}`.execute(db);
    expect(raw.numAffectedRows).toBe(3n);
    expect(raw.rows).toEqual([]); // not DuckDB's { Count: 3 } row
  });

  it('supports RETURNING, counting the returned rows', async () => {
    await sql`create sequence events_seq`.execute(db);
    await db.schema.createTable('events')
      .addColumn('id', 'integer', (col) => col.primaryKey().defaultTo(sql`nextval('events_seq')`))
      .addColumn('label', 'varchar', (col) => col.notNull())
      .execute();
    const ids = await db.insertInto('events').values([{ label: 'a' }, { label: 'b' }]).returning(['id', 'label']).execute();
    expect(ids).toEqual([{ id: 1, label: 'a' }, { id: 2, label: 'b' }]);

    const result = await db.deleteFrom('events').where('label', '=', 'a').returningAll().execute();
    expect(result).toEqual([{ id: 1, label: 'a' }]);
    const raw = await sql<{ id: number }>`delete from events returning id`.execute(db);
    expect(raw.rows).toEqual([{ id: 2 }]);
    expect(raw.numAffectedRows).toBe(1n);
  });
});

describe('DuckDbDialect: transactions', () => {
  it('commits db.transaction().execute(...)', async () => {
    const result = await db.transaction().execute(async (trx) => {
      await trx.insertInto('customers').values(CUSTOMERS.slice(0, 2)).execute();
      await trx.updateTable('customers').set({ tier: 'platinum' }).where('id', '=', 1).execute();
      return trx.selectFrom('customers').select('tier').where('id', '=', 1).executeTakeFirstOrThrow();
    });
    expect(result).toEqual({ tier: 'platinum' });
    const rows = await db.selectFrom('customers').select(['id', 'tier']).orderBy('id').execute();
    expect(rows).toEqual([{ id: 1, tier: 'platinum' }, { id: 2, tier: 'silver' }]);
  });

  it('rolls back when the callback throws, leaving rows unchanged (DDL included)', async () => {
    await seed();
    const failure = db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ lifetime_value: 0 }).execute();
      await trx.deleteFrom('customers').where('id', '=', 1).execute();
      await trx.schema.createTable('scratch').addColumn('x', 'integer').execute();
      throw new Error('boom');
    });
    await expect(failure).rejects.toThrow('boom');
    const rows = await db.selectFrom('customers').selectAll().orderBy('id').execute();
    expect(rows).toEqual(CUSTOMERS);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(['customers']);
  });

  it('rolls back when a statement inside fails', async () => {
    await seed();
    await expect(db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ name: 'changed' }).execute();
      await trx.insertInto('customers').values(CUSTOMERS[0]!).execute(); // duplicate primary key
    })).rejects.toThrow(/[Cc]onstraint|[Dd]uplicate key/);
    const names = await db.selectFrom('customers').select('name').orderBy('id').execute();
    expect(names.map((r) => r.name)).toEqual(['Ada', 'Bob', 'Cy', 'Di']);
    // the connection is usable afterwards
    await db.transaction().execute(async (trx) => { await trx.deleteFrom('customers').where('id', '=', 4).execute(); });
    expect(await db.selectFrom('customers').select('id').execute()).toHaveLength(3);
  });

  it('serialises concurrent calls: a query issued mid-transaction runs after it, not inside it', async () => {
    await seed();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => { inserted = resolve; });

    const trxPromise = db.transaction().execute(async (trx) => {
      await trx.deleteFrom('customers').execute();
      inserted();
      await gate;
      throw new Error('roll it back');
    });
    await insertedSignal;
    // Without serialisation this would run inside the open transaction and see 0 rows.
    const countPromise = db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await expect(trxPromise).rejects.toThrow('roll it back');
    expect(await countPromise).toEqual({ n: 4 });
  });

  it('serialises two Kysely instances over the same connection', async () => {
    const other = new KyselyClass<DB>({ dialect: new DuckDbDialect({ connection: async () => warehouse.connection }) });
    try {
      await Promise.all([
        db.transaction().execute(async (trx) => {
          await trx.insertInto('customers').values(CUSTOMERS[0]!).execute();
          await new Promise((resolve) => setTimeout(resolve, 20));
          await trx.insertInto('customers').values(CUSTOMERS[1]!).execute();
        }),
        other.transaction().execute(async (trx) => {
          await trx.insertInto('customers').values(CUSTOMERS[2]!).execute();
        }),
      ]);
      expect((await db.selectFrom('customers').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([1, 2, 3]);
    } finally {
      await other.destroy();
    }
  });

  it('rejects isolation levels (DuckDB has one) and supports read-only transactions', async () => {
    await expect(db.transaction().setIsolationLevel('serializable').execute(async () => 1)).rejects.toThrow(/isolation level/);
    await expect(db.transaction().setAccessMode('read only').execute(async (trx) => {
      await trx.insertInto('customers').values(CUSTOMERS[0]!).execute();
    })).rejects.toThrow(/read-only/);
    const n = await db.transaction().setAccessMode('read only').execute((trx) =>
      trx.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    expect(n).toEqual({ n: 0 });
  });
});

describe('DuckDbDialect: raw sql, streams, errors, parameters', () => {
  it('runs sql templates with parameters of every JS type', async () => {
    await seed();
    const result = await sql<{ total: number; label: string; flag: boolean; nothing: null; big: number; ratio: number }>`
      select ${40} + ${2} as total, ${'tier:'} || ${'gold'} as label, ${true} and not ${false} as flag,
             ${null}::integer as nothing, ${9007199254740991n} as big, ${2.5} * ${2} as ratio`.execute(db);
    expect(result.rows).toEqual([{ total: 42, label: 'tier:gold', flag: true, nothing: null, big: 9007199254740991, ratio: 5 }]);

    const types = await sql<Record<string, string>>`
      select typeof(${1}) as a, typeof(${3_000_000_000}) as b, typeof(${1.5}) as c, typeof(${5n}) as d,
             typeof(${new Date(0)}) as e, typeof(${[1, 2]}) as f, typeof(${new Uint8Array([1])}) as g`.execute(db);
    expect(types.rows).toEqual([{ a: 'INTEGER', b: 'BIGINT', c: 'DOUBLE', d: 'BIGINT', e: 'TIMESTAMP', f: 'INTEGER[]', g: 'BLOB' }]);

    const names = await sql<{ name: string }>`select name from customers where tier = ${'gold'} and lifetime_value > ${0.15} order by id`.execute(db);
    expect(names.rows).toEqual([{ name: 'Ada' }, { name: 'Cy' }]);

    const inList = await db.selectFrom('customers').select('id').where('id', 'in', [1, 4]).where('active', '=', true).orderBy('id').limit(5).offset(0).execute();
    expect(inList).toEqual([{ id: 1 }, { id: 4 }]);
  });

  it('rejects undefined parameters instead of binding them', async () => {
    await expect(sql`select ${undefined} as x`.execute(db)).rejects.toThrow(/parameter \$1 is undefined/);
  });

  it('streams all rows of selectFrom(...).selectAll().stream() in chunks', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ ...CUSTOMERS[i % 4]!, id: i + 1 }));
    await db.insertInto('customers').values(rows).execute();

    const seen: number[] = [];
    for await (const row of db.selectFrom('customers').selectAll().orderBy('id').stream(100)) {
      seen.push(row.id);
      if (row.id === 1) expect(row).toEqual(CUSTOMERS[0]);
    }
    expect(seen).toEqual(rows.map((r) => r.id));

    // breaking early releases the connection
    let taken = 0;
    for await (const _row of db.selectFrom('customers').select('id').where('tier', '=', 'gold').stream()) {
      if (++taken === 3) break;
    }
    expect(taken).toBe(3);
    const count = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count).toEqual({ n: 2500 });
  });

  it('surfaces DuckDB error messages and stays usable', async () => {
    await expect(db.selectFrom('no_such_table' as 'customers').selectAll().execute())
      .rejects.toThrow(/Table with name no_such_table does not exist/);
    await expect(sql`select 1 +`.execute(db)).rejects.toThrow(/Parser Error/);
    await expect(db.insertInto('customers').values({ ...CUSTOMERS[0]!, signup_date: 'not a date' }).execute())
      .rejects.toThrow(/not a date/);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('introspects tables and columns from information_schema', async () => {
    await sql`create view gold as select id, name from customers where tier = 'gold'`.execute(db);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => [t.schema, t.name, t.isView])).toEqual([['main', 'customers', false], ['main', 'gold', true]]);
    const customers = tables.find((t) => t.name === 'customers')!;
    expect(customers.columns.map((c) => c.name)).toEqual(['id', 'name', 'tier', 'signup_date', 'last_seen', 'lifetime_value', 'events', 'count', 'active']);
    expect(customers.columns.find((c) => c.name === 'lifetime_value')).toMatchObject({ dataType: 'DECIMAL(18,2)', isNullable: false });
    expect(customers.columns.find((c) => c.name === 'last_seen')).toMatchObject({ dataType: 'TIMESTAMP', isNullable: true, hasDefaultValue: false });
    expect(await db.introspection.getSchemas()).toEqual([{ name: 'main' }]);
  });
});
