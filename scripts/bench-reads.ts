import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { MATTER_FIELDS } from '../src/integrations/clio/resources/matters';

export interface ReadsResult {
  samples: number;
  directP50Ms: number;
  apiP50Ms: number;
  p50Ratio: number;
  concurrentClients: number;
  concurrentRequests: number;
  concurrentP50Ms: number;
  concurrentP99Ms: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - start;
}

/**
 * `GET /v1/matters?limit=50` through the API (auth, validation, Clio client, rate budget, normalization) against
 * the same read made directly against the Clio sandbox, interleaved so machine noise hits both alike; then 20
 * concurrent clients against the API. The sandbox's rate limit is lifted: this measures the API's overhead.
 */
export async function runReadsScenario(
  opts: { samples?: number; clients?: number; perClient?: number } = {},
): Promise<ReadsResult> {
  const samples = opts.samples ?? 300;
  const clients = opts.clients ?? 20;
  const perClient = opts.perClient ?? 50;
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-bench-'));
  // The sandbox runs in its own process, as Clio runs on its own machines: sharing this event loop would charge
  // its work to the API's side twice.
  const sandbox = await startSandboxProcess(dir);
  const clioUrl = sandbox.url;
  await fetch(`${clioUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rateLimitPerMinute: 1_000_000 }),
  });
  // The API in its own process too: this process only plays the clients, so neither side's work is charged to the other.
  const api = await startApiProcess({
    LOG_LEVEL: 'silent',
    CLIO_BASE_URL: clioUrl,
    DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
    DATA_DIR: dir,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const apiUrl = `${api.url}/v1/matters?limit=50`;
    const apiHeaders = { authorization: 'Bearer sandbox-admin' };
    // The fields the API's Clio client asks for, so both sides move the same records.
    const directUrl = `${clioUrl}/api/v4/matters.json?limit=50&order=id(asc)&fields=${encodeURIComponent(MATTER_FIELDS)}`;
    const directHeaders = { authorization: 'Bearer sandbox-access-token', 'x-api-version': '4.0.9' };
    for (let i = 0; i < 20; i++) {
      await timed(apiUrl, apiHeaders);
      await timed(directUrl, directHeaders);
    }
    const direct: number[] = [];
    const viaApi: number[] = [];
    for (let i = 0; i < samples; i++) {
      direct.push(await timed(directUrl, directHeaders));
      viaApi.push(await timed(apiUrl, apiHeaders));
    }
    const concurrent: number[] = [];
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < perClient; i++) concurrent.push(await timed(apiUrl, apiHeaders));
      }),
    );
    const directP50 = percentile(direct, 50);
    const apiP50 = percentile(viaApi, 50);
    return {
      samples,
      directP50Ms: directP50,
      apiP50Ms: apiP50,
      p50Ratio: apiP50 / directP50,
      concurrentClients: clients,
      concurrentRequests: concurrent.length,
      concurrentP50Ms: percentile(concurrent, 50),
      concurrentP99Ms: percentile(concurrent, 99),
    };
  } finally {
    api.stop();
    sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startSandboxProcess(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const [clioPort, imanagePort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clioPort}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../src/sandboxes/main.ts')],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        CLIO_BASE_URL: url,
        IMANAGE_BASE_URL: `http://127.0.0.1:${imanagePort}`,
      },
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/_sandbox/stats`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the sandbox process did not start');
}

async function startApiProcess(env: Record<string, string>): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench-api-process.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the API process exited (${code})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}
