import { type ServerResponse, type Server } from 'node:http';

/**
 * Stops a server the way a balancer expects: no new connections; answers still being written go out, each telling
 * its client `Connection: close`; a kept-alive connection is closed as soon as it is idle. Without that, a client
 * that keeps sending on one kept-alive connection keeps the process up until it is killed. Past `graceMs` every
 * connection is cut.
 */
export function gracefulClose(server: Server, graceMs: number): () => Promise<void> {
  let closing = false;
  const open = new Set<ServerResponse>();
  const release = (res: ServerResponse) => {
    open.delete(res);
    if (closing) server.closeIdleConnections();
  };
  // Ahead of the app, so the header is set before any handler can have sent its answer.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    open.add(res);
    res.once('finish', () => release(res));
    res.once('close', () => release(res));
  });
  return () =>
    new Promise<void>((resolve, reject) => {
      closing = true;
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      cut.unref();
      server.close((err) => {
        clearTimeout(cut);
        if (err) reject(err);
        else resolve();
      });
      server.closeIdleConnections();
    });
}
