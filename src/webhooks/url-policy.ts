import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
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
 * The URL's host name is refused: it does not resolve (or not in time), or it resolves to an address the policy
 * refuses. The message is the tenant's and reads the same in both cases (see hostRefusal); `detail` says which,
 * and what the name resolved to, for the operator's log only. At subscription it is a bad URL like any other; at
 * delivery a name may have been re-pointed, or a resolver be having a bad moment, so a delivery counts it as a
 * failed attempt, not as a refused target.
 */
export class HostRefused extends UrlRefused {
  override readonly name = 'HostRefused';
  constructor(
    message: string,
    /** For the operator's log, never for the tenant: the host name and what it resolved to, or why it did not. */
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * What a tenant is told about a host name that is refused, whether it does not resolve or resolves to an address
 * the policy refuses: the same words for both, naming no address. Were they to differ, any tenant allowed to
 * subscribe could map the firm's internal DNS (does db.internal exist? in which range?) by subscribing to names.
 * An address written in the URL itself is named as refused (addressRefusal): the tenant wrote it.
 */
export function hostRefusal(policy: UrlPolicy): string {
  return policy.allowPrivate
    ? 'must resolve to an address webhooks may reach'
    : 'must resolve to a public address';
}

/** Every address a host name resolves to (defaultResolve by default; tests point names where they need). */
export type ResolveHost = (host: string) => Promise<string[]>;

export interface DnsResolveOptions {
  /** The DNS servers to ask, `host:port` (those of /etc/resolv.conf by default). */
  servers?: string[];
  /** How long one try waits for an answer; c-ares doubles it on each round of tries. */
  timeoutMs?: number;
  /** How many times each server is asked before the lookup fails. */
  tries?: number;
}

/**
 * Resolves a receiver's host name by asking DNS directly (c-ares, A and AAAA), not through getaddrinfo: Node runs
 * getaddrinfo on the libuv threadpool (4 threads, shared with every other lookup and file access of the process),
 * each call holding a thread for as long as the system resolver waits, and with no deadline of ours. A tenant's
 * DNS that stops answering could then tie up the pool and slow the worker's other work (Clio calls included).
 * c-ares waits on a socket on the event loop instead, and gives up after its own timeout and tries (with the
 * defaults: 2 s, then 4 s per server).
 *
 * What differs from getaddrinfo, deliberately:
 * - IP literals are answered as they are, without a lookup.
 * - `localhost` and names under `.localhost` are loopback (127.0.0.1, ::1) without a lookup, as RFC 6761 §6.3
 *   lets a resolver answer: the sandbox's receivers live there, and the policy decides what loopback may reach
 *   (sandbox mode only), exactly as it did when getaddrinfo answered them from /etc/hosts.
 * - The hosts file is not read for any other name, and neither are resolv.conf's search domains applied: a
 *   webhook receiver is a tenant's endpoint named in public DNS, not a name this machine's own configuration
 *   points somewhere (such entries mostly name hosts inside the network, which the policy refuses by default).
 *   A receiver inside the network, where WEBHOOK_ALLOW_PRIVATE_TARGETS allows one, needs its full DNS name.
 */
export function dnsResolve({ servers, timeoutMs = 2_000, tries = 2 }: DnsResolveOptions = {}): ResolveHost {
  const resolver = new Resolver({ timeout: timeoutMs, tries });
  if (servers) resolver.setServers(servers);
  return async (host) => {
    if (isIP(host)) return [host];
    const name = host.toLowerCase().replace(/\.$/, '');
    if (name === 'localhost' || name.endsWith('.localhost')) return ['127.0.0.1', '::1'];
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
    const addresses = [
      ...(v4.status === 'fulfilled' ? v4.value : []),
      ...(v6.status === 'fulfilled' ? v6.value : []),
    ];
    if (addresses.length > 0) return addresses;
    // No address in either family: the A lookup's error says why (ENOTFOUND, ETIMEOUT…), else the AAAA one's.
    throw v4.status === 'rejected'
      ? v4.reason
      : v6.status === 'rejected'
        ? v6.reason
        : new Error('no address');
  };
}

/** The resolver of the URL check and of every connection a delivery opens, unless one is injected. */
export const defaultResolve: ResolveHost = dnsResolve();

const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

type Bytes = number[];

/**
 * IPv6 prefixes whose addresses carry an IPv4 address that a translator or tunnel would dial in their stead, and
 * where in the 16 bytes it sits. Any host on a path with such a translator (or a stack that still tunnels) reaches
 * the IPv4 address, so a webhook is judged by where that is: 64:ff9b::169.254.169.254 is the metadata service.
 * IPv4-mapped (::ffff:a.b.c.d) is not here: ipaddr.process already turns it into the IPv4 address it maps.
 */
const IPV4_EMBEDDING: {
  prefix: [ipaddr.IPv6, number];
  embedded: (bytes: Bytes) => Bytes[];
  /** Where else a translator's configuration may put it: checked only against what webhooks never reach. */
  perhaps?: (bytes: Bytes) => Bytes[];
}[] = [
  // RFC 4291 §2.5.5.1: IPv4-compatible ::a.b.c.d (deprecated).
  { prefix: ipaddr.IPv6.parseCIDR('::/96'), embedded: (b) => [b.slice(12)] },
  // RFC 2765 (SIIT; RFC 6145 after it): IPv4-translated ::ffff:0:a.b.c.d.
  { prefix: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), embedded: (b) => [b.slice(12)] },
  // RFC 6052: the NAT64 well-known prefix, always /96.
  { prefix: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), embedded: (b) => [b.slice(12)] },
  // RFC 8215: the local-use NAT64 prefix, read as a /96 prefix (the IPv4 address last). An operator may carve a
  // /48, /56 or /64 prefix from it instead (RFC 6052 §2.2: the address then straddles byte 8, which stays zero).
  // Judging those layouts by every rule would take the zeros of every /96 form for 0.0.0.x, so they are only
  // checked against link-local and metadata addresses, which no receiver has.
  {
    prefix: ipaddr.IPv6.parseCIDR('64:ff9b:1::/48'),
    embedded: (b) => [b.slice(12)],
    perhaps: (b) => [
      [b[6]!, b[7]!, b[9]!, b[10]!],
      [b[7]!, b[9]!, b[10]!, b[11]!],
      [b[9]!, b[10]!, b[11]!, b[12]!],
    ],
  },
  // RFC 3056: 6to4, 2002:a.b.c.d::/48; the relay tunnels to a.b.c.d.
  { prefix: ipaddr.IPv6.parseCIDR('2002::/16'), embedded: (b) => [b.slice(2, 6)] },
  // RFC 4380: Teredo, 2001:0::/32; the server's IPv4 address in bytes 4..7, the client's in the last four with
  // every bit flipped. Packets go to either, so both are judged.
  {
    prefix: ipaddr.IPv6.parseCIDR('2001::/32'),
    embedded: (b) => [b.slice(4, 8), b.slice(12).map((x) => x ^ 0xff)],
  },
];

/**
 * Cloud metadata services outside link-local: they hand out the host's own credentials like 169.254.169.254, but
 * sit in ranges WEBHOOK_ALLOW_PRIVATE_TARGETS opens (unique-local, carrier-grade NAT).
 */
const CLOUD_METADATA = new Set(
  [
    'fd00:ec2::254', // AWS instance metadata over IPv6
    'fd20:ce::254', // Google Compute Engine metadata over IPv6
    '100.100.100.200', // Alibaba Cloud metadata
  ].map((address) => ipaddr.parse(address).toNormalizedString()),
);

/**
 * The IPv4 addresses a translator or tunnel would dial for this address (none for most); with `perhaps`, also
 * those it would dial were its prefix configured in another layout.
 */
function embeddedIpv4(ip: ipaddr.IPv4 | ipaddr.IPv6, perhaps = false): ipaddr.IPv4[] {
  if (ip.kind() !== 'ipv6') return [];
  // :: and ::1 lie in ::/96 but are their own ranges (unspecified, loopback), not IPv4 addresses.
  const range = ip.range();
  if (range === 'unspecified' || range === 'loopback') return [];
  const form = IPV4_EMBEDDING.find(({ prefix }) => ip.match(prefix));
  if (!form) return [];
  const bytes = ip.toByteArray();
  const layouts = [...form.embedded(bytes), ...(perhaps && form.perhaps ? form.perhaps(bytes) : [])];
  return layouts.map((v4) => new ipaddr.IPv4(v4));
}

/**
 * ipaddr.js's range, except that IPv6 it calls unicast outside 2000::/3 (the only global unicast space) is
 * reserved: no public receiver has such an address.
 */
function ownRangeOf(ip: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = ip.range();
  if (ip.kind() !== 'ipv6' || range !== 'unicast' || ip.match(IPV6_GLOBAL_UNICAST)) return range;
  return 'reserved';
}

/**
 * The ranges the policy judges an address by. One that embeds an IPv4 address (IPV4_EMBEDDING) is judged by the
 * embedded address's range when that is not plain unicast: 2002:7f00:1:: is loopback, 64:ff9b::a9fe:a9fe
 * link-local. Embedding a public IPv4 address, it keeps its own range (6to4, rfc6052…), private as before.
 */
function rangesOf(ip: ipaddr.IPv4 | ipaddr.IPv6): string[] {
  const embedded = embeddedIpv4(ip)
    .map((v4) => v4.range())
    .filter((range) => range !== 'unicast');
  return embedded.length > 0 ? embedded : [ownRangeOf(ip)];
}

function isCloudMetadata(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return [ip, ...embeddedIpv4(ip, true)].some((each) => CLOUD_METADATA.has(each.toNormalizedString()));
}

/** Why the policy refuses this address, or undefined when it allows it. */
export function addressRefusal(address: string, policy: UrlPolicy): string | undefined {
  const ip = ipaddr.process(address);
  if (isCloudMetadata(ip)) return 'targets a cloud metadata address, which webhooks never reach';
  if (embeddedIpv4(ip, true).some((v4) => v4.range() === 'linkLocal'))
    return rangeRefusal('linkLocal', policy);
  for (const range of rangesOf(ip)) {
    const refusal = rangeRefusal(range, policy);
    if (refusal) return refusal;
  }
  return undefined;
}

/** Why the policy refuses an address of this range, or undefined when it allows it. */
function rangeRefusal(range: string, policy: UrlPolicy): string | undefined {
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
 * `signal` ends a lookup that outlives it (the delivery attempt's deadline): the host did not resolve in time.
 */
export async function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: ResolveHost = defaultResolve,
  signal?: AbortSignal,
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
  if (ipaddr.isValid(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal) throw new UrlRefused(refusal);
    return url;
  }
  let addresses: string[];
  try {
    addresses = await untilAborted(resolve(host), signal);
  } catch (err) {
    if (signal?.aborted)
      throw new HostRefused(
        'has a host name that did not resolve in time',
        `${host} did not resolve in time`,
      );
    throw new HostRefused(hostRefusal(policy), `${host} does not resolve (${errorText(err)})`, {
      cause: err,
    });
  }
  const refused = refusedAmong(host, addresses, policy);
  if (refused) throw refused;
  return url;
}

/**
 * The refusal of a host name any of whose addresses the policy refuses, in the tenant's words (hostRefusal), the
 * address and why in the operator's detail; undefined when every address is allowed.
 */
export function refusedAmong(host: string, addresses: string[], policy: UrlPolicy): HostRefused | undefined {
  for (const address of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) return new HostRefused(hostRefusal(policy), `${host} resolves to ${address}: ${refusal}`);
  }
  return undefined;
}

/** A resolver's error as a short text for the operator's detail (ENOTFOUND, ETIMEOUT…). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The promise's outcome, or the signal's reason if it aborts first (the promise is left to run). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted', { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
