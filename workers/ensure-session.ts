import { type Config } from '../src/config';
import { type Logger } from '../src/logging/logger';
import { createSessionLink, sessionSettings } from '../src/sessions';
import { connectClient } from '../src/temporal/connection';
import { dataConverterFromConfig } from '../src/temporal/data-converter-from-config';

/**
 * Starts the default tenant's Clio portal session when a worker process starts, so the session workflow (and an
 * MFA wait, when codes come by SMS) is there to watch before any portal activity needs it. Best effort: a failure
 * is logged, and the first portal activity starts the session anyway.
 */
export async function ensureDefaultSession(config: Config, logger: Logger): Promise<void> {
  try {
    // The same codec as the workers: the workflow input is stored encrypted like every other payload.
    const client = await connectClient(config, dataConverterFromConfig(config));
    try {
      await createSessionLink(client, sessionSettings(config)).ensure(config.DEFAULT_TENANT);
      logger.info(
        { tenant: config.DEFAULT_TENANT },
        'Clio portal session workflow started (or already running)',
      );
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    logger.warn({ err }, 'Could not start the Clio portal session workflow; the first portal activity will');
  }
}
