import { type Config } from '../src/config';
import { type Logger } from '../src/logging/logger';
import {
  createSessionLink,
  ensureSession,
  sessionSettings,
  signInAgainIfUserChanged,
  type SessionLink,
  type SessionStore,
} from '../src/sessions';
import { connectClient } from '../src/temporal/connection';
import { dataConverterFromConfig } from '../src/temporal/data-converter-from-config';

/**
 * Starts the default tenant's Clio portal session when a worker process starts, so the session workflow (and an
 * MFA wait, when codes come by SMS) is there to watch before any portal activity needs it; a session signed in as
 * another web-app user than the configured one signs in again. Best effort: a failure is logged, and the first
 * portal activity starts the session anyway.
 */
export async function ensureDefaultSession(
  config: Config,
  logger: Logger,
  store: SessionStore,
): Promise<void> {
  try {
    // The same codec as the workers: the workflow input is stored encrypted like every other payload.
    const client = await connectClient(config, dataConverterFromConfig(config));
    try {
      await ensureTenantSession(createSessionLink(client, sessionSettings(config)), store, config, logger);
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    logger.warn({ err }, 'Could not start the Clio portal session workflow; the first portal activity will');
  }
}

/** The default tenant's session, through a link to Temporal the caller holds. */
export async function ensureTenantSession(
  link: SessionLink,
  store: SessionStore,
  config: Pick<Config, 'DEFAULT_TENANT' | 'CLIO_PORTAL_USERNAME'>,
  logger: Logger,
): Promise<void> {
  const tenant = config.DEFAULT_TENANT;
  // Through the store's record of the tenant's session: one an operator ended stays ended even after Temporal has
  // forgotten the run (a deploy or restart must not sign the firm in again).
  const seen = await ensureSession({ link, store }, tenant);
  logger.info(
    { tenant, state: seen?.state ?? 'started' },
    'Clio portal session workflow started (or already running; one that ended waits for a retry)',
  );
  if (await signInAgainIfUserChanged({ store, link, tenant, username: config.CLIO_PORTAL_USERNAME }))
    logger.info({ tenant }, 'The configured Clio web-app user changed; the session signs in again');
}
