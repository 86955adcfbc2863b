import type { RequestHandler } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The /_sandbox controls have no auth, so they answer only to the local machine. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (LOOPBACK.has(req.socket.remoteAddress ?? '')) return next();
  res
    .status(403)
    .json({ error: { type: 'Forbidden', message: 'Sandbox controls answer only to loopback clients' } });
};
