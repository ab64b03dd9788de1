import { describe, expect, it } from 'vitest';
import { createRedis } from '#kit/redis';

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
});
