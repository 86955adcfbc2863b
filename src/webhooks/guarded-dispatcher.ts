import { type LookupAddress, type LookupOptions } from 'node:dns';
import { isIPv4, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import {
  defaultResolve,
  errorText,
  HostRefused,
  hostRefusal,
  refusedAmong,
  type ResolveHost,
  type UrlPolicy,
} from './url-policy';

/**
 * The name lookup of every connection a webhook delivery opens: it resolves the receiver's host and refuses the
 * connection when any address is one the policy forbids. Checking the URL first and then letting the connection
 * resolve the name again would leave a window (DNS rebinding: a name that answers a public address to the check
 * and a private one to the connection); here the addresses checked are the addresses dialled. IP literals never
 * reach a lookup; checkWebhookUrl has already judged them. The resolver is the URL check's (defaultResolve: DNS
 * through c-ares, off the threadpool, with its own timeout and tries), so both see the same kind of answer; the
 * attempt's deadline (the request's signal) bounds a lookup here that is slower still.
 *
 * A name that does not resolve here and one that resolves to a forbidden address fail alike (HostRefused, in the
 * URL check's words for the tenant), so the delivery log cannot tell a tenant which names the firm's DNS holds;
 * the error's `detail` says which, for the operator's log.
 */
export function guardedLookup(policy: UrlPolicy, resolve: ResolveHost = defaultResolve): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const refuse = (detail: string, cause?: unknown) =>
      callback(new HostRefused(hostRefusal(policy), detail, { cause }), '', 0);
    resolve(hostname).then(
      (addresses) => {
        const refused = refusedAmong(hostname, addresses, policy);
        if (refused) return callback(refused, '', 0);
        const found: LookupAddress[] = addresses
          .map((address) => ({ address, family: isIPv4(address) ? 4 : 6 }))
          .filter((a) => !options.family || options.family === a.family);
        if (found.length === 0)
          return refuse(
            `${hostname} has no ${options.family ? `IPv${options.family} ` : ''}address to connect to (answered: ${addresses.join(', ') || 'nothing'})`,
          );
        if (options.all) callback(null, found);
        else callback(null, found[0]!.address, found[0]!.family);
      },
      (err: unknown) => refuse(`${hostname} does not resolve (${errorText(err)})`, err),
    );
  };
}

/** The HTTP client pool webhook deliveries go through: every connection it opens passes guardedLookup. */
export function webhookDispatcher(policy: UrlPolicy, resolve?: ResolveHost): Dispatcher {
  return new Agent({ connect: { lookup: guardedLookup(policy, resolve) } });
}
