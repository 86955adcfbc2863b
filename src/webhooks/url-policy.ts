import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface UrlPolicy {
  /** Private (RFC 1918, link-local, unique-local…) targets; off by default: a webhook must not reach inside the network. */
  allowPrivate: boolean;
  /** Loopback targets: allowed in sandbox mode only. */
  allowLoopback: boolean;
}

export class UrlRefused extends Error {
  override readonly name = 'UrlRefused';
}

/**
 * Checks a webhook target: http(s), no credentials in it, and every address its host resolves to allowed by the
 * policy. Run at subscription and again before each delivery (a name can be re-pointed after it was checked).
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<URL> {
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
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new UrlRefused('has a host name that does not resolve');
  }
  for (const address of addresses) {
    const parsed = ipaddr.process(address);
    const range = parsed.range();
    if (range === 'loopback' && !policy.allowLoopback)
      throw new UrlRefused('targets a loopback address, allowed in sandbox mode only');
    if (range !== 'unicast' && range !== 'loopback' && !policy.allowPrivate) {
      throw new UrlRefused(`targets a ${range} address; set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it`);
    }
  }
  return url;
}
