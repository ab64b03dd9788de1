/**
 * The whole of chapter 01 in one request path: user → DNS → web server → database, and back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from '#kit/dns';
import { expectStatus } from '#kit/expect';
import { request } from '#kit/http';
import { step } from '#kit/wait';
import { type DnsServer, startDnsServer } from '../src/dns-server.js';
import { DOMAIN, startPhotoService, type UserJson } from './photo-service.js';

let dns: DnsServer | undefined;
afterEach(async () => {
  await dns?.close();
  dns = undefined;
});

describe('The request path of a single server', () => {
  it('resolves api and www through DNS, then uses the address it got for HTTP', async () => {
    const service = await startPhotoService();
    dns = await step(
      'startDnsServer() for photos.test listens',
      startDnsServer({
        origin: DOMAIN,
        ttl: 300,
        records: [
          { name: 'www', address: '127.0.0.1' },
          { name: 'api', address: '127.0.0.1' },
        ],
      }),
    );
    const dnsPort = dns.port;
    const ask = async (name: string) => (await resolve(dnsPort, name, { timeoutMs: 3000 })).addresses;
    const port = service.server.port;

    const [apiAddress] = await ask(`api.${DOMAIN}`);
    expect(apiAddress, `api.${DOMAIN} should resolve to the web server's address`).toBe('127.0.0.1');
    const created = await step(
      'the web server answers POST /v1/users sent to the address DNS returned',
      request(`http://${apiAddress}:${port}/v1/users`, {
        host: `api.${DOMAIN}`,
        body: { name: 'Mobile user', email: 'mobile@example.test' },
      }),
    );
    expectStatus(created, 201, 'the mobile app creating a user through the address DNS returned');

    const [wwwAddress] = await ask(`www.${DOMAIN}`);
    const page = await step(
      'the web server answers the user page sent to the address DNS returned',
      request(`http://${wwwAddress}:${port}/users/${created.json<UserJson>().id}`, { host: `www.${DOMAIN}` }),
    );
    expectStatus(page, 200, 'the browser opening that user page through www');
    expect(page.text, 'the page shows what the app wrote: one server, one database').toContain('Mobile user');
  });
});
