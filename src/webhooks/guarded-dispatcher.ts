import { type LookupAddress, type LookupOptions } from 'node:dns';
import { isIPv4, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { addressRefusal, defaultResolve, type ResolveHost, type UrlPolicy, UrlRefused } from './url-policy';

/**
 * The name lookup of every connection a webhook delivery opens: it resolves the receiver's host and refuses the
 * connection when any address is one the policy forbids. Checking the URL first and then letting the connection
 * resolve the name again would leave a window (DNS rebinding: a name that answers a public address to the check
 * and a private one to the connection); here the addresses checked are the addresses dialled. IP literals never
 * reach a lookup; checkWebhookUrl has already judged them. The resolver is the URL check's (defaultResolve: DNS
 * through c-ares, off the threadpool, with its own timeout and tries), so both see the same kind of answer; the
 * attempt's deadline (the request's signal) bounds a lookup here that is slower still.
 */
export function guardedLookup(policy: UrlPolicy, resolve: ResolveHost = defaultResolve): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const refusal = addressRefusal(address, policy);
          if (refusal) return callback(new UrlRefused(refusal), '', 0);
        }
        const found: LookupAddress[] = addresses
          .map((address) => ({ address, family: isIPv4(address) ? 4 : 6 }))
          .filter((a) => !options.family || options.family === a.family);
        if (found.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} has no address to connect to`);
          err.code = 'ENOTFOUND';
          return callback(err, '', 0);
        }
        if (options.all) callback(null, found);
        else callback(null, found[0]!.address, found[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/** The HTTP client pool webhook deliveries go through: every connection it opens passes guardedLookup. */
export function webhookDispatcher(policy: UrlPolicy, resolve?: ResolveHost): Dispatcher {
  return new Agent({ connect: { lookup: guardedLookup(policy, resolve) } });
}
