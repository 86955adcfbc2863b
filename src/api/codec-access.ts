import { type Request } from 'express';
import ipaddr from 'ipaddr.js';
import { type ApiKeyResolver } from './auth/principal';

/**
 * Who may use the payload codec server (decode history, encode signals). In sandbox mode, anyone on this
 * machine: the Temporal UI running beside it sends no key. Otherwise, and from any other address, an admin key
 * of the tenant that runs the service (DEFAULT_TENANT): one key decrypts every tenant's payloads, so another
 * tenant's admin, whose role covers only its own firm, may not.
 */
export function codecAccess(sandboxMode: boolean, resolveApiKey: ApiKeyResolver, operatorTenant: string) {
  return async (req: Pick<Request, 'socket' | 'headers'>): Promise<boolean> => {
    if (sandboxMode && isLoopback(req.socket.remoteAddress) && namesNoOtherSite(req.headers.host))
      return true;
    const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const principal = key ? await resolveApiKey(key) : undefined;
    return principal?.role === 'admin' && principal.tenant === operatorTenant;
  };
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}

/**
 * A loopback connection is not enough: a web page whose DNS name was re-pointed at 127.0.0.1 (DNS rebinding) is
 * dialled from this machine's browser and reads the answers as its own origin, so CORS does not stop it. Such a
 * request carries the page's name in Host; the UI and the CLI address the codec by `localhost` or an IP.
 */
function namesNoOtherSite(host: string | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return bare === 'localhost' || ipaddr.isValid(bare);
}
