/**
 * Forwarding one request to one backend, as a reverse proxy must: stream the body both ways, keep method,
 * status and end-to-end headers, drop hop-by-hop headers, and say who the client was (X-Forwarded-*).
 */
import http from 'node:http';

/** Headers that describe one connection, not the message: they must not cross the proxy (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The end-to-end headers of a message: hop-by-hop ones and those named in its Connection header removed. */
export function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  const result: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.includes(name)) result[name] = value;
  }
  return result;
}

/** The request headers for the backend: end-to-end ones plus X-Forwarded-For/-Host/-Proto. */
export function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers = endToEnd(req.headers);
  const client = req.socket.remoteAddress ?? 'unknown';
  const previous = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = previous ? `${previous}, ${client}` : client;
  headers['x-forwarded-host'] = req.headers['x-forwarded-host'] ?? req.headers.host ?? '';
  headers['x-forwarded-proto'] = req.headers['x-forwarded-proto'] ?? 'http';
  return headers;
}

export type Outcome =
  /** The request is over: the client has the whole answer, the answer broke, or the client left. */
  | { kind: 'done' }
  /** Nothing was sent to the client yet: the request may go to another backend if it is safe to repeat. */
  | { kind: 'unreachable'; error: Error }
  | { kind: 'timeout' };

/**
 * Sends the request to the backend and streams the answer to the client. The promise settles when the
 * request is over for this backend — not when the answer's headers arrive: a body still streaming is a
 * request in flight (least-connections and draining count it).
 */
export function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: string,
  agent: http.Agent,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const upstream = http.request(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: forwardedHeaders(req),
      agent,
    });
    // Only the wait for the answer's headers is timed: a slow body is the backend's business.
    const timer = setTimeout(() => {
      upstream.destroy();
      settle({ kind: 'timeout' });
    }, timeoutMs);
    // The client's response closes when it is complete, broken, or the client went away: the request is over.
    res.once('close', () => {
      upstream.destroy();
      settle({ kind: 'done' });
    });
    upstream.on('response', (answer) => {
      clearTimeout(timer);
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      answer.pipe(res);
      // A backend that dies mid-body: the client must see a broken response, never a short complete one.
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy(error);
        settle({ kind: 'done' });
      } else {
        settle({ kind: 'unreachable', error });
      }
    });
    // A retry sends a request whose (empty) body was already read: end it instead of piping again.
    if (req.readableEnded) upstream.end();
    else req.pipe(upstream);
  });
}
