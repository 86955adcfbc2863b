import { type Request } from 'express';
import ipaddr from 'ipaddr.js';
import { type ApiKeyResolver } from './auth/principal';

/**
 * Who may use the payload codec server (decode history, encode signals). In sandbox mode, anyone on this
 * machine: the Temporal UI running beside it sends no key. Otherwise, and from any other address, an admin's
 * API key: decoding shows every tenant's payloads.
 */
export function codecAccess(sandboxMode: boolean, resolveApiKey: ApiKeyResolver) {
  return async (req: Pick<Request, 'socket' | 'headers'>): Promise<boolean> => {
    if (sandboxMode && isLoopback(req.socket.remoteAddress)) return true;
    const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return key ? (await resolveApiKey(key))?.role === 'admin' : false;
  };
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}
