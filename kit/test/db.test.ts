import { describe, expect, it } from 'vitest';
import { createDatabase, realPostgres } from '#kit/db';

describe('kit: database nodes', () => {
  it('gives every node its own data, shared by every pool on that node', async () => {
    const a = await createDatabase();
    const b = await createDatabase();
    await a.pool.query('CREATE TABLE t (v integer)');
    await a.pool.query('INSERT INTO t (v) VALUES (1)');
    const again = a.connect();
    expect((await again.query('SELECT v FROM t')).rows).toEqual([{ v: 1 }]);
    const onB = await b.pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 't'`,
    );
    expect(onB.rows, 'node b must not see node a’s table').toEqual([]);
  });

  it('stops like a crashed server: queries fail until it starts again, and the data stays', async () => {
    const node = await createDatabase();
    await node.pool.query('CREATE TABLE t (v integer)');
    await node.pool.query('INSERT INTO t (v) VALUES (7)');
    const client = await node.pool.connect();
    await node.stop();
    await expect(node.pool.query('SELECT v FROM t'), 'a query on a stopped node fails').rejects.toThrow();
    await expect(client.query('SELECT v FROM t'), 'an open connection is cut').rejects.toThrow();
    client.release(true);
    await node.start();
    expect((await node.pool.query('SELECT v FROM t')).rows).toEqual([{ v: 7 }]);
  });

  it('keeps a log of the statements each node received', async () => {
    const a = await createDatabase();
    const b = await createDatabase();
    await a.pool.query('SELECT 1 AS one');
    const client = await b.pool.connect();
    await client.query({ text: 'SELECT 2 AS two' });
    client.release();
    expect(a.statements).toEqual(['SELECT 1 AS one']);
    expect(b.statements).toEqual(['SELECT 2 AS two']);
  });

  it('holds back the statements that match until released, and tells when one was sent', async () => {
    const node = await createDatabase();
    await node.pool.query('CREATE TABLE t (v integer)');
    const inserted = node.nextStatement(/^insert/i);
    const hold = node.hold(/insert into t/i);
    let done = false;
    const write = node.pool.query('INSERT INTO t (v) VALUES ($1)', [3]).then(() => {
      done = true;
    });
    expect(await hold.reached, 'the held statement, with its parameters').toEqual({
      text: 'INSERT INTO t (v) VALUES ($1)',
      values: [3],
    });
    expect(await inserted, 'nextStatement resolves when a matching statement is sent').toMatchObject({
      values: [3],
    });
    expect((await node.pool.query('SELECT count(*)::int AS n FROM t')).rows, 'others go on').toEqual([
      { n: 0 },
    ]);
    expect(done, 'the held statement has not run').toBe(false);
    hold.release();
    await write;
    expect((await node.pool.query('SELECT v FROM t')).rows).toEqual([{ v: 3 }]);
    await node.pool.query('INSERT INTO t (v) VALUES (4)');
    expect(hold.held.length, 'after release nothing more is held').toBe(1);
  });

  it('releases what it holds when the node is destroyed', async () => {
    const node = await createDatabase();
    node.hold(/select/i);
    const read = node.pool.query('SELECT 1 AS one').then(
      () => 'ran',
      () => 'failed',
    );
    await node.destroy();
    expect(await read, 'the held statement fails like any on a destroyed node').toBe('failed');
  });

  it('refuses queries once destroyed', async () => {
    const node = await createDatabase();
    await node.destroy();
    await expect(node.pool.query('SELECT 1')).rejects.toThrow();
  });

  it('starts every node empty, even on a database that an earlier node used and left stopped', async () => {
    const databases: string[] = [];
    for (let round = 0; round < 2; round++) {
      const node = await createDatabase();
      if (realPostgres)
        databases.push((await node.pool.query('SELECT current_database() AS name')).rows[0].name);
      const tables = await node.pool.query(
        `SELECT table_schema, table_name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(tables.rows, `round ${round}: a new node has no table`).toEqual([]);
      await node.pool.query('CREATE SCHEMA extra');
      await node.pool.query('CREATE TABLE extra.t (v integer)');
      await node.pool.query('CREATE TABLE left_behind (id serial PRIMARY KEY)');
      await node.pool.query('INSERT INTO left_behind (id) VALUES (DEFAULT)');
      await node.stop();
      await node.destroy();
    }
    const next = await createDatabase();
    await next.pool.query('CREATE TABLE left_behind (id serial PRIMARY KEY)');
    const { rows } = await next.pool.query('INSERT INTO left_behind (id) VALUES (DEFAULT) RETURNING id');
    expect(rows, 'a sequence starts again at 1').toEqual([{ id: 1 }]);
    // On PostgreSQL the second node reused the first one's database (kit/pg-server.ts): that is what this
    // test is about. pg-mem gives every node a new database, which is trivially empty.
    if (realPostgres)
      expect(databases[1], 'the second node reuses the database of the first').toBe(databases[0]);
    await expect(next.destroy().then(() => next.stop())).rejects.toThrow(/destroyed/);
  });
});
