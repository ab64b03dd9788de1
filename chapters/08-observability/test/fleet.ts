/**
 * Servers to deploy to: each answers `GET /version` with the version it runs and `GET /health` with 200 —
 * or 500 when that version is broken. Deploying takes a moment (the server restarts on the new version);
 * the fleet notes every deploy and how many ran at once.
 */
import http from 'node:http';
import { request, serve } from '#kit/http';
import { pause } from '#kit/wait';
import type { DeployTarget } from '../src/pipeline.js';

export interface FleetOptions {
  size: number;
  /** The version every server runs at first, or each server's own (web-1 first). */
  initial: string | string[];
  /** Versions whose health check fails once deployed. */
  broken?: string[];
  /** Server ids whose deploy fails (a full disk): the server stays on the version it had. */
  failingDeploys?: string[];
  /** Server ids whose deploy reports success but whose restart keeps the old version running. */
  staleDeploys?: string[];
}

export async function startFleet({
  size,
  initial,
  broken = [],
  failingDeploys = [],
  staleDeploys = [],
}: FleetOptions) {
  const deploys: { target: string; version: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const targets: DeployTarget[] = [];
  for (let i = 1; i <= size; i++) {
    const id = `web-${i}`;
    const first = Array.isArray(initial) ? (initial[i - 1] as string) : initial;
    const state = { version: first };
    const server = http.createServer((req, res) => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/version') return json(200, { version: state.version });
      if (req.url === '/health')
        return broken.includes(state.version)
          ? json(500, { error: 'broken build' })
          : json(200, { ok: true });
      return json(200, { hello: `from ${id} on ${state.version}` });
    });
    const running = await serve(server);
    targets.push({
      id,
      url: running.url,
      async deploy(version: string) {
        deploys.push({ target: id, version });
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await pause(5); // the restart takes a moment: deploys that overlap would show here
          if (failingDeploys.includes(id)) throw new Error(`deploy to ${id} failed: no space left on device`);
          if (!staleDeploys.includes(id) || version === first) state.version = version;
        } finally {
          inFlight -= 1;
        }
      },
    });
  }
  return {
    targets,
    deploys,
    get maxInFlight() {
      return maxInFlight;
    },
    async versions() {
      return Promise.all(
        targets.map(async (t) => {
          const reply = await request(`${t.url}/version`);
          return reply.json<{ version: string }>().version;
        }),
      );
    },
  };
}
