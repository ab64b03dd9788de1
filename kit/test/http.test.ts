import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { request, serve } from '#kit/http';

/** A server whose /slow requests wait until `release()` is called. */
function slowServer() {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived: () => void = () => {};
  const arrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      arrived();
      void released.then(() => res.end('done'));
    } else {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ host: req.headers.host, method: req.method }));
    }
  });
  return { server, release, arrival };
}

describe('kit: loopback HTTP', () => {
  it('serves on 127.0.0.1 and sends the Host header the test names', async () => {
    const { server } = slowServer();
    const running = await serve(server);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await request(`${running.url}/`, { host: 'api.photos.test' });
    expect(reply.json()).toEqual({ host: `api.photos.test:${running.port}`, method: 'GET' });
    expect(running.requests).toBe(1);
  });

  it('close() lets a request in flight finish', async () => {
    const { server, release, arrival } = slowServer();
    const running = await serve(server);
    const inFlight = request(`${running.url}/slow`);
    await arrival;
    const closed = running.close();
    release();
    expect((await inFlight).text).toBe('done');
    await closed;
  });

  it('kill() drops a request in flight, as a dead machine would', async () => {
    const { server, arrival } = slowServer();
    const running = await serve(server);
    const inFlight = request(`${running.url}/slow`);
    await arrival;
    await running.kill();
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(request(`${running.url}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
