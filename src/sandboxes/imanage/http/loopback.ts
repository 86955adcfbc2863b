import { type RequestHandler } from 'express';
import { BlockList } from 'node:net';
import { forbidden } from '../errors';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Is the peer on this machine? IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) count as their IPv4 form. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return LOOPBACK.check(mapped[1]!, 'ipv4');
  return address.includes(':') ? LOOPBACK.check(address, 'ipv6') : LOOPBACK.check(address, 'ipv4');
}

/** Control routes bypass auth, so they answer only callers on this host (the socket peer, never a header). */
export function loopbackOnly(): RequestHandler {
  return (req, _res, next) => {
    if (!isLoopback(req.socket.remoteAddress))
      throw forbidden('Sandbox controls answer loopback clients only.');
    next();
  };
}
