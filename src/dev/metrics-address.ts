import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { StartupFailure } from './startup';

/** host:port as the Temporal runtime's exporter parses it: an IP (an IPv6 one in brackets), never a name. */
export function socketAddress(ip: string, port: number): string {
  return `${isIP(ip) === 6 ? `[${ip}]` : ip}:${port}`;
}

/**
 * The worker's metrics exporter address for HOST: an IP as given; a name (localhost) resolved to its first address,
 * the one the API's listen(HOST) takes too. A name that does not resolve is a StartupFailure naming HOST.
 */
export async function metricsBindAddress(host: string, port: number): Promise<string> {
  if (isIP(host)) return socketAddress(host, port);
  try {
    const { address } = await lookup(host);
    return socketAddress(address, port);
  } catch {
    throw new StartupFailure(
      `Cannot start the worker's metrics exporter: HOST ${host} does not resolve to an address; set HOST (127.0.0.1, say).`,
    );
  }
}

/** What a person can do about the runtime's bind failure (its error carries the OS's words, no code). */
export function metricsPortProblem(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  const moveIt = 'set WORKER_METRICS_PORT (0 turns the exporter off; HOST sets the address).';
  if (/address already in use/i.test(message))
    return `the port is already in use; stop what uses it or ${moveIt}`;
  if (/permission denied/i.test(message))
    return `not allowed to listen there (ports below 1024 need privileges); ${moveIt}`;
  if (/cannot assign requested address/i.test(message))
    return 'HOST is not an address of this machine; set HOST.';
  if (/invalid socket address/i.test(message))
    return 'the exporter needs an IP address in HOST, not a host name; set HOST (127.0.0.1, say).';
  return undefined;
}
