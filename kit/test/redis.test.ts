import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';
import { pause } from '#kit/wait';

describe('kit: Redis stores', () => {
  it('gives every store its own keys, shared by every client on that store', async () => {
    const a = createRedis();
    const b = createRedis();
    await a.client.set('greeting', 'hello');
    expect(await a.connect().get('greeting')).toBe('hello');
    expect(await b.client.get('greeting'), 'store b must not see store a’s keys').toBeNull();
  });

  it('deletes its keys when destroyed', async () => {
    const store = createRedis();
    await store.client.set('k', 'v');
    await store.destroy();
    const after = store.connect();
    expect(await after.get('k'), 'a client opened on the store after destroy() finds no key').toBeNull();
    await store.destroy();
  });

  it('stops like a crashed cache server: commands reject until it starts again, data kept', async () => {
    const store = createRedis();
    await store.client.set('k', 'v');
    const other = store.connect();
    store.stop();
    await expect(store.client.get('k'), 'a command on a stopped store rejects').rejects.toThrow(
      /ECONNREFUSED/,
    );
    await expect(other.set('x', '1'), 'every client of the store is cut off').rejects.toThrow(/ECONNREFUSED/);
    store.start();
    expect(await other.get('k')).toBe('v');
  });

  it('lists its keys with their time to live, without the kit’s prefix', async () => {
    const store = createRedis();
    await store.client.set('photo:1', 'a', 'EX', 60);
    await store.client.set('forever', 'b');
    const keys = (await store.keys()).sort((a, b) => a.key.localeCompare(b.key));
    expect(keys.map((k) => k.key)).toEqual(['forever', 'photo:1']);
    expect(keys[0]?.ttl).toBe(-1);
    expect(keys[1]?.ttl).toBeGreaterThan(0);
    expect(keys[1]?.ttl).toBeLessThanOrEqual(60);
  });

  it('severs one client for good, leaving the others connected', async () => {
    const store = createRedis();
    const doomed = store.connect();
    store.sever(doomed);
    await expect(doomed.get('k')).rejects.toThrow(/ECONNREFUSED/);
    await store.client.set('k', 'still works');
    expect(await store.client.get('k')).toBe('still works');
  });
});

it('MULTI and pipelines on a stopped or hung store are built, and refused at exec(), as ioredis does', async () => {
  const store = createRedis();
  store.stop();
  const batch = store.client.multi().hset('session:1', 'user', '7').expire('session:1', 60);
  await expect(batch.exec()).rejects.toThrow(/ECONNREFUSED/);
  store.start();
  store.hang();
  let settled = false;
  store.client
    .pipeline()
    .set('a', '1')
    .exec()
    .finally(() => {
      settled = true;
    });
  await pause(50);
  expect(settled, 'a hung store never answers exec()').toBe(false);
  store.start();
  const done = await store.client.multi().set('b', '2').get('b').exec();
  expect(done?.[1]?.[1]).toBe('2');
});

it('takes a client per server of a large tier without a MaxListenersExceededWarning', async () => {
  const warnings: string[] = [];
  const record = (warning: Error) => warnings.push(warning.name);
  process.on('warning', record);
  try {
    const store = createRedis();
    const clients = Array.from({ length: 15 }, () => store.connect());
    await clients[14]?.set('k', 'v');
    expect(await store.client.get('k')).toBe('v');
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', record);
  }
  expect(warnings, 'ioredis-mock adds one listener per client to the store’s shared emitter').not.toContain(
    'MaxListenersExceededWarning',
  );
});

it('freezes one client like a process that stands still: its commands wait, then go on in order at thaw()', async () => {
  const store = createRedis();
  const worker = store.connect();
  store.freeze(worker);
  const sent: string[] = [];
  const first = worker.rpush('log', 'first').then(() => sent.push('first'));
  const batch = worker.multi().rpush('log', 'second').exec();
  const third = worker.rpush('log', 'third').then(() => sent.push('third'));
  await store.client.rpush('log', 'others go on');
  await pause(30);
  expect(sent, 'a frozen client’s commands are not answered').toEqual([]);
  expect(await store.client.lrange('log', 0, -1), 'nor sent').toEqual(['others go on']);
  store.thaw(worker);
  await Promise.all([first, batch, third]);
  expect(await store.client.lrange('log', 0, -1), 'thaw() sends them in the order they were made').toEqual([
    'others go on',
    'first',
    'second',
    'third',
  ]);
  store.freeze(worker);
  store.sever(worker);
  const refused = worker.get('log');
  store.thaw(worker);
  await expect(refused, 'a client severed while frozen is refused once thawed').rejects.toThrow(
    /ECONNREFUSED/,
  );
});

it('counts the Lua scripts its clients run, and defineCommand takes the key count first as in ioredis', async () => {
  const store = createRedis();
  const client = store.connect();
  expect(await client.eval("return redis.call('SET', KEYS[1], ARGV[1])", 1, 'k', 'v')).toBe('OK');
  client.defineCommand('countBoth', { lua: 'return {#KEYS, #ARGV}' });
  const counted = client as unknown as { countBoth(...args: unknown[]): Promise<number[]> };
  expect(
    await counted.countBoth(2, 'a', 'b', 'x'),
    'without numberOfKeys: the key count comes first',
  ).toEqual([2, 1]);
  client.defineCommand('fixed', { numberOfKeys: 1, lua: 'return {#KEYS, #ARGV}' });
  const fixed = client as unknown as { fixed(...args: unknown[]): Promise<number[]> };
  expect(await fixed.fixed('a', 'x', 'y')).toEqual([1, 2]);
  const { count, ms } = store.scripts();
  expect(count, 'eval and both defined commands').toBe(3);
  if (store.backend === 'ioredis-mock')
    expect(ms, 'ioredis-mock runs scripts in this process').toBeGreaterThan(0);
  else expect(ms).toBe(0);
});
