/**
 * The API as the server builds it, without a Temporal server, for the suites that ask it what is decided before a
 * workflow is reached: authentication, authorization, the error answers.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { createApiKeyRepository, type ApiKeyRepository } from '../../src/api/auth/api-keys';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { loadConfig, type Config } from '../../src/config';
import { VARS, type VarSpec } from '../../src/config/schema';
import { freePort } from '../../src/dev/ports';
import { createLogger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { lazyClient } from '../../src/temporal/connection';
import { dataConverterFromConfig } from '../../src/temporal/data-converter-from-config';
import { captureLog } from '../helpers/log-capture';

export interface Api {
  url: string;
  port: number;
  config: Config;
  db: Database;
  keys: ApiKeyRepository;
  logs: string[];
  /** How many times the store was asked about an API key. */
  keyLookups(): number;
  stop(): Promise<void>;
}

/**
 * The API as `startApiServer` builds it, on a free port, without a Temporal server: everything asked here is
 * decided before a workflow is reached (or is a 503).
 */
export async function startApi(env: Record<string, string> = {}): Promise<Api> {
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-auth-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    CLIO_BASE_URL: 'http://127.0.0.1:9',
    DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
    DATA_DIR: dir,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    API_TEMPORAL_TIMEOUT_SECONDS: '1',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const db = await createDatabase(config.DATABASE_URL);
  let lookups = 0;
  db.knex.on('query', (q: { sql: string }) => {
    if (/api_keys/.test(q.sql)) lookups++;
  });
  const temporal: Client = lazyClient(config, dataConverterFromConfig(config), { retryBudgetMs: 1000 });
  const log = captureLog();
  const logger = createLogger({ level: 'debug', destination: log.destination });
  const api: RunningApi = await startApiServer({ config, logger, temporal, db, port: 0 });
  return {
    url: api.url,
    port: api.port,
    config,
    db,
    keys: createApiKeyRepository(db.knex),
    logs: log.lines,
    keyLookups: () => lookups,
    async stop() {
      await api.close();
      await temporal.connection.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Production's required settings, each given a value of its own (the sandbox's published ones are refused). */
export function productionEnv(dir: string): Record<string, string> {
  const required = Object.entries(VARS as Record<string, VarSpec>)
    .filter(([, spec]) => spec.sandboxDefault !== undefined)
    .map(([name, spec]) => [
      name,
      spec.secret ? Buffer.alloc(32, 5).toString('base64') : spec.sandboxDefault!.replace(/^sandbox/, 'prod'),
    ]);
  return {
    ...Object.fromEntries(required),
    NODE_ENV: 'production',
    CLIO_PORTAL_TOTP_SECRET: '',
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PAYLOAD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
    CLIO_BASE_URL: 'http://127.0.0.1:9',
    HOST: '127.0.0.1',
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with headers exactly as given: a list sends one header line per value (fetch would join them). */
export function send(
  api: Api,
  method: string,
  target: string,
  headers: Record<string, string | string[]> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: api.port, method, path: target, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const errorOf = (answer: Answer) =>
  (JSON.parse(answer.body) as { error: { code: string; message: string; details?: unknown } }).error;
