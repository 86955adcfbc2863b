import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { type Logger } from '../logging/logger';
import { searchAttributeFlags } from '../../workflows/shared/search-attributes';
import { socketAddress } from './metrics-address';

export interface DevServerOptions {
  cliPath: string;
  host: string;
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  codecEndpoint?: string;
  logger: Logger;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  stop: () => Promise<void>;
}

/**
 * `temporal server start-dev` persisted to a SQLite file, with the contract's search attributes and the UI.
 * Resolves once the frontend answers, not when the process prints its banner (the UI may still be starting).
 */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  const dbFile = resolve(opts.dbFile);
  mkdirSync(dirname(dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    opts.host,
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    dbFile,
    '--namespace',
    opts.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
    ...searchAttributeFlags(),
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
  ];
  // Its own process group: Ctrl-C in the terminal signals the whole foreground group, and the server must outlive
  // the worker that is still reporting its activities' results to it. `npm start` stops it last; if this process
  // exits any other way, it takes the server with it.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killWithUs = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', killWithUs);
  const log = opts.logger.child({ component: 'temporal-server' });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => log.debug({ line }, 'temporal server output'));
  }
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killWithUs);
      r(code);
    }),
  );
  const address = socketAddress(opts.host, opts.port);
  try {
    await waitUntilServing(address, exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: `http://${socketAddress(opts.host, opts.uiPort)}`,
    stop: () => stopChild(child, exited),
  };
}

async function waitUntilServing(
  address: string,
  exited: Promise<number | null>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  while (!done && Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    done
      ? 'The Temporal dev server exited during start-up'
      : `The Temporal dev server did not answer on ${address} within 60 s`,
  );
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
