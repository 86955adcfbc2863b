import { type Request } from 'express';
import ipaddr from 'ipaddr.js';
import { type ApiKeyResolver } from './auth/principal';
import { clientAddress, type RefusalGuard, refusalGuard, type RefusalGuardOptions } from './auth/refusals';
import { presentedApiKey } from './middleware/authenticate';

/**
 * Who may use the payload codec server (decode history, encode signals). In sandbox mode, anyone on this
 * machine: the Temporal UI running beside it sends no key. Otherwise, and from any other address, an admin key
 * of the tenant that runs the service (DEFAULT_TENANT): one key decrypts every tenant's payloads, so another
 * tenant's admin, whose role covers only its own firm, may not.
 *
 * As on `/v1`: two Authorization headers are refused (throws the 400 naming header.authorization, whoever asks),
 * and an address that keeps being refused (no key, a wrong key, a key that may not use the codec) is held back
 * before its keys are looked up (throws the 429 with Retry-After; see `refusalGuard`; the server gives the codec
 * and `/v1` one guard, so refusals on either count towards both). Keys allowed here in the last day still pass,
 * and this machine's key-less access in sandbox mode is never held back. Resolves true or false otherwise; the
 * router answers 401 or 403 for false.
 */
export function codecAccess(
  sandboxMode: boolean,
  resolveApiKey: ApiKeyResolver,
  operatorTenant: string,
  opts: RefusalGuardOptions & { guard?: RefusalGuard } = {},
) {
  const guard = opts.guard ?? refusalGuard(opts);
  return async (req: Pick<Request, 'socket' | 'headers' | 'rawHeaders' | 'ip'>): Promise<boolean> => {
    let key: string | undefined;
    let malformed: Error | undefined;
    try {
      key = presentedApiKey(req);
    } catch (err) {
      malformed = err instanceof Error ? err : new Error(String(err));
    }
    if (
      malformed === undefined &&
      sandboxMode &&
      isLoopback(req.socket.remoteAddress) &&
      namesNoOtherSite(req.headers.host)
    )
      return true;
    const address = clientAddress(req);
    const held = guard.heldBack(address, key);
    if (held) throw held;
    if (malformed !== undefined) {
      guard.refused(address, undefined);
      throw malformed;
    }
    const principal = key ? await resolveApiKey(key) : undefined;
    if (key && principal?.role === 'admin' && principal.tenant === operatorTenant) {
      guard.admitted(key);
      return true;
    }
    // A valid key that may not use the codec still counts against the address, but keeps the pass it earned on
    // `/v1` (the guard is shared): only a key that is not valid (unknown, revoked) loses it.
    guard.refused(address, principal ? undefined : key);
    return false;
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
