import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface UrlPolicy {
  /** Private (RFC 1918, unique-local…) targets; off by default: a webhook must not reach inside the network. Link-local never. */
  allowPrivate: boolean;
  /** Loopback targets: allowed in sandbox mode only. */
  allowLoopback: boolean;
}

export class UrlRefused extends Error {
  override readonly name: string = 'UrlRefused';
}

/**
 * The host name did not resolve. At subscription that is a bad URL like any other; at delivery it may be a
 * resolver having a bad moment, so a delivery counts it as a failed attempt, not as a refused target.
 */
export class HostUnresolved extends UrlRefused {
  override readonly name = 'HostUnresolved';
}

/** Every address a host name resolves to (the system resolver by default; tests point names where they need). */
export type ResolveHost = (host: string) => Promise<string[]>;

export const systemResolve: ResolveHost = async (host) =>
  (await lookup(host, { all: true })).map((a) => a.address);

const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * ipaddr.js's range, except that IPv6 it calls unicast outside 2000::/3 (the only global unicast space) is
 * reserved: no public receiver has such an address. An IPv4-compatible one (::a.b.c.d, deprecated) is judged by
 * the IPv4 address it embeds first, which a stack that still tunnels it would dial: ::127.0.0.1 is loopback.
 */
function rangeOf(address: string): string {
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (ip.kind() !== 'ipv6' || range !== 'unicast' || ip.match(IPV6_GLOBAL_UNICAST)) return range;
  if (ip.match(IPV4_COMPATIBLE)) {
    const embedded = ipaddr.fromByteArray(ip.toByteArray().slice(12)).range();
    if (embedded !== 'unicast') return embedded;
  }
  return 'reserved';
}

/** Why the policy refuses this address, or undefined when it allows it. */
export function addressRefusal(address: string, policy: UrlPolicy): string | undefined {
  const range = rangeOf(address);
  // Whatever the configuration: cloud metadata services answer there (169.254.169.254 hands out the host's own
  // credentials), and no webhook receiver does.
  if (range === 'linkLocal') return 'targets a link-local address, which webhooks never reach';
  if (range === 'loopback' && !policy.allowLoopback)
    return 'targets a loopback address, allowed in sandbox mode only';
  // A connection to 0.0.0.0 or :: reaches this host itself: loopback by another name.
  if (range === 'unspecified' && !policy.allowLoopback)
    return 'targets an unspecified address (0.0.0.0 or ::), which reaches this host; allowed in sandbox mode only';
  if (range !== 'unicast' && range !== 'loopback' && range !== 'unspecified' && !policy.allowPrivate)
    return `targets a ${range} address; set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it`;
  return undefined;
}

/**
 * Checks a webhook target: http(s), no credentials in it, and every address its host resolves to allowed by the
 * policy. Run at subscription, so a bad URL is a 400, and before each delivery. The delivery's connection checks
 * again the addresses it actually dials (guarded-dispatcher.ts): a name can be re-pointed between two lookups.
 */
export async function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: ResolveHost = systemResolve,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefused('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UrlRefused('must be an http or https URL');
  if (url.username || url.password) throw new UrlRefused('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await resolve(host);
  } catch {
    throw new HostUnresolved('has a host name that does not resolve');
  }
  for (const address of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw new UrlRefused(refusal);
  }
  return url;
}
