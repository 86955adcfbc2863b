/**
 * The floor for `npm run bench -- reads`: the least any service between a client and Clio can add on this
 * machine. It passes the request to the sandbox and its bytes back (no auth, no parsing, no normalization), in a
 * process of its own like the API. Reads UPSTREAM_URL; prints its own URL on stdout.
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { request } from 'undici';

const upstream = process.env.UPSTREAM_URL;
const authorization = process.env.UPSTREAM_AUTHORIZATION;
if (!upstream || !authorization) throw new Error('set UPSTREAM_URL and UPSTREAM_AUTHORIZATION');

const server = createServer((_req, res) => {
  request(upstream, { headers: { authorization, 'x-api-version': '4.0.9' } })
    .then(async (answer) => {
      const body = await answer.body.text();
      res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(body);
    })
    .catch(() => res.writeHead(502).end());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
