import { describe, expect, it } from 'vitest';
import { createDatabase } from '#kit/db';

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

  it('refuses queries once destroyed', async () => {
    const node = await createDatabase();
    await node.destroy();
    await expect(node.pool.query('SELECT 1')).rejects.toThrow();
  });
});
