import { type Config } from '../src/config';
import { type Logger } from '../src/logging/logger';
import {
  createSessionLink,
  sessionSettings,
  signInAgainIfUserChanged,
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
      const link = createSessionLink(client, sessionSettings(config));
      const tenant = config.DEFAULT_TENANT;
      await link.ensure(tenant);
      logger.info(
        { tenant },
        'Clio portal session workflow started (or already running; one that ended waits for a retry)',
      );
      if (await signInAgainIfUserChanged({ store, link, tenant, username: config.CLIO_PORTAL_USERNAME }))
        logger.info({ tenant }, 'The configured Clio web-app user changed; the session signs in again');
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    logger.warn({ err }, 'Could not start the Clio portal session workflow; the first portal activity will');
  }
}
