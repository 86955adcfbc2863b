import { type Config } from '../config';
import { type UrlPolicy } from './url-policy';

/** Loopback receivers are for the sandbox (tests, local tools); production allows them never. */
export function webhookUrlPolicy(
  config: Pick<Config, 'sandboxMode' | 'WEBHOOK_ALLOW_PRIVATE_TARGETS'>,
): UrlPolicy {
  return { allowLoopback: config.sandboxMode, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS };
}
