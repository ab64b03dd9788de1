/**
 * The starting point (given): the photo service's web server as it was, keeping sessions in its own
 * memory. It works only if every request of a user reaches the same server — sticky sessions.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export function createStatefulServer(serverId: string, users: Record<string, string>): http.Server {
  const sessions = new Map<string, string>();
  return http.createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (req.method === 'POST' && req.url === '/login') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const { user, password } = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      if (users[user] === undefined || users[user] !== password)
        return send(401, { error: 'wrong user or password' });
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, user); // the state lives here, in this process only
      return send(
        200,
        { user, server: serverId },
        { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` },
      );
    }
    if (req.method === 'GET' && req.url === '/me') {
      const user = sid ? sessions.get(sid) : undefined;
      return user ? send(200, { user, server: serverId }) : send(401, { error: 'not logged in' });
    }
    send(404, { error: 'no route' });
  });
}
