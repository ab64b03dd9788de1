/**
 * Task 4 — alerting. Metrics are watched by rules: when the share of failed requests over a window goes
 * over a bound, the alert fires and someone is paged; when the fault is gone and the window has moved past
 * it, the alert resolves. The rule runs on ticks whose time the test gives, like a rule engine's clock.
 */
import { describe, expect, it } from 'vitest';
import { request } from '#kit/http';
import { type AlertEvent, createErrorRateAlert } from '../src/alerting.js';
import { startSystem } from './system.js';

describe('An error-rate alert over a sliding window', () => {
  it('fires when the database fails, pages once, and resolves after the fault is removed', async () => {
    const system = await startSystem({ metrics: true });
    const aggregator = await system.aggregator();
    const events: AlertEvent[] = [];
    const alert = createErrorRateAlert({
      rule: { name: 'HighErrorRate', windowMs: 3000, maxErrorRate: 0.1 },
      scrape: async () => (await request(`${aggregator.url}/metrics`)).text,
      notify: (event) => events.push(event),
    });
    let signups = 0;
    const traffic = async (good: number, clientErrors = 0) => {
      const statuses = [];
      for (let i = 0; i < good; i++) {
        signups += 1;
        statuses.push((await system.send('/users', { body: { name: `user${signups}` } })).status);
      }
      for (let i = 0; i < clientErrors; i++) {
        statuses.push((await system.send('/users', { body: { name: 'not a valid name!' } })).status);
      }
      return statuses;
    };

    expect((await alert.tick(0)).state, 'no traffic yet: nothing to alert on').toBe('ok');
    for (const now of [1000, 2000, 3000]) {
      await traffic(5, 2);
      expect(
        (await alert.tick(now)).state,
        `at ${now} ms every request succeeded but two of seven were bad input (400): a client's mistake is not the service failing — count only 5xx as errors`,
      ).toBe('ok');
    }

    await system.db.stop(); // the fault: the database is gone, sign-ups fail with 500
    const failed = await traffic(10);
    expect(
      failed.every((s) => s === 500),
      `with the database down, sign-ups answer 500 (got ${[...new Set(failed)].join(', ')})`,
    ).toBe(true);
    const firing = await alert.tick(4000);
    expect(
      firing.state,
      `10 of the 24 requests since the tick of 1000 ms (the window's start) failed (error rate ${firing.errorRate}): over 10 % the alert must fire`,
    ).toBe('firing');
    await system.db.start(); // the fault is removed

    await traffic(5);
    expect(
      (await alert.tick(5000)).state,
      'one second after the fault the 3 s window still holds the failed requests: still firing',
    ).toBe('firing');
    const states: string[] = [];
    for (const now of [6000, 7000, 8000, 9000]) {
      await traffic(5);
      states.push((await alert.tick(now)).state);
    }
    expect(
      states.at(-1),
      `after the fault was removed and the window moved past it, the alert resolves (states at 6–9 s: ${states.join(', ')}); compute the rate over the window, not since the start`,
    ).toBe('ok');
    expect(states.at(-2), 'and it stays resolved by 8 s, when the window holds only healthy traffic').toBe(
      'ok',
    );
    expect(
      events.map((e) => e.state),
      'the on-call person is paged once when the alert fires and once when it resolves, not on every tick',
    ).toEqual(['firing', 'ok']);
    expect(events[0]?.rule, 'the page names the rule').toBe('HighErrorRate');
    expect(events[0]?.at, 'and says when it fired').toBe(4000);
  });

  it('leaves a trail: the failed requests are found in the collector at level error by their id', async () => {
    const system = await startSystem();
    await system.db.stop();
    const reply = await system.send('/users', { body: { name: 'ana' } });
    expect(reply.status, 'with the database down a sign-up answers 500').toBe(500);
    expect(reply.json<{ error?: unknown }>().error, 'as JSON { error }').toBeTypeOf('string');
    const id = String(reply.headers['x-request-id']);
    const errors = await system.waitForLogs(
      { requestId: id, level: 'error' },
      (lines) => lines.some((l) => l.service === reply.headers['x-served-by']),
      `the web server logs the failed request ${id} at level error (50) or worse`,
    );
    expect(errors.length, 'at least one error line for the failed request').toBeGreaterThan(0);
  });
});
