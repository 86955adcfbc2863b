import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { type Config } from '../config';

type TemporalConfig = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS'
>;

function connectionOptions(config: TemporalConfig) {
  const apiKey = config.TEMPORAL_API_KEY || undefined;
  return { address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS || Boolean(apiKey), apiKey };
}

/** A client for starting and reading workflows; create one per process and reuse it. */
export async function connectClient(
  config: TemporalConfig,
  dataConverter?: Client['options']['dataConverter'],
) {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
}

/** The connection workers poll through. */
export async function connectWorker(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
