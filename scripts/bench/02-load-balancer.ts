/**
 * Chapter 02 benchmark (not a test): requests per second through the chapter's balancer, against going
 * straight to one backend and against node-http-proxy (`http-proxy`) doing round-robin over the same backends.
 * All on 127.0.0.1, with autocannon as the client.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import httpProxy from 'http-proxy';
import type { createLoadBalancer as Create } from '../../chapters/02-load-balancer/src/load-balancer.js';

export async function bench(target: 'chapters' | 'solutions', seconds: number): Promise<void> {
  const module = (await import(`../../${target}/02-load-balancer/src/load-balancer.js`)) as {
    createLoadBalancer: typeof Create;
  };
  const backends = await Promise.all(['A', 'B', 'C'].map(startBackend));
  const urls = backends.map((b) => b.url);

  const balancer = module.createLoadBalancer({ backends: urls.map((url, i) => ({ id: String(i), url })) });
  const ours = await listen(balancer.server);

  const proxy = httpProxy.createProxyServer({ agent: new http.Agent({ keepAlive: true }), xfwd: true });
  let next = 0;
  const theirs = await listen(
    http.createServer((req, res) => {
      next = (next + 1) % urls.length;
      proxy.web(req, res, { target: urls[next] }, () => {
        res.writeHead(502);
        res.end();
      });
    }),
  );

  const rows: [string, number][] = [];
  for (const [name, url] of [
    ['direct to one backend', urls[0] as string],
    [`${target}/02 balancer`, ours.url],
    ['http-proxy round-robin', theirs.url],
  ] as const) {
    const result = await autocannon({ url: `${url}/whoami`, connections: 32, duration: seconds });
    if (result.non2xx > 0 || result.errors > 0)
      console.log(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    rows.push([name, result.requests.average]);
  }
  const base = rows[0]?.[1] ?? 1;
  const ourRate = rows[1]?.[1] ?? 0;
  console.log(`\n${'setup'.padEnd(26)} ${'req/s'.padStart(8)}  vs direct  vs http-proxy`);
  for (const [name, rate] of rows) {
    const vsProxy = (rows[2]?.[1] ?? 1) > 0 ? (rate / (rows[2]?.[1] ?? 1)).toFixed(2) : '-';
    console.log(
      `${name.padEnd(26)} ${rate.toFixed(0).padStart(8)}  ${(rate / base).toFixed(2).padStart(9)}  ${vsProxy.padStart(12)}`,
    );
  }
  console.log(`\nour balancer / http-proxy: ${(ourRate / (rows[2]?.[1] ?? 1)).toFixed(2)}`);

  await balancer.close();
  proxy.close();
  for (const server of [ours, theirs, ...backends]) await server.close();
}

async function startBackend(id: string) {
  return listen(
    http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend-id': id });
      res.end(JSON.stringify({ id }));
    }),
  );
}

async function listen(server: http.Server) {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
