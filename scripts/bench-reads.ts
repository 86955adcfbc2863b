import { freePort } from '../src/dev/ports';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { API_NODE_FLAGS } from '../src/api/node-flags';
import { MATTER_FIELDS } from '../src/integrations/clio/resources/matters';
import { createApiKeyRepository } from '../src/api/auth/api-keys';
import { createDatabase } from '../src/store/database';

export interface ReadsResult {
  samples: number;
  directP50Ms: number;
  /** A bare pass-through proxy in its own process: what any service in between costs on this machine. */
  proxyP50Ms: number;
  apiP50Ms: number;
  /** CPU time (all threads) the API process spent per sequential read; undefined off Linux. */
  apiCpuPerReadMs?: number;
  proxyCpuPerReadMs?: number;
  p50Ratio: number;
  /**
   * 95 % bootstrap interval of p50Ratio over this run's samples: how precisely the run pins its own figure. Runs
   * at other moments differ by more (the machine's load changes between runs, not within one).
   */
  p50RatioInterval: [number, number];
  proxyP50Ratio: number;
  /** The same reads when a matter on the page was edited just before each (untimed): a page the API has not seen. */
  changedSamples: number;
  changedDirectP50Ms: number;
  changedApiP50Ms: number;
  changedP50Ratio: number;
  concurrentClients: number;
  concurrentRequests: number;
  concurrentP50Ms: number;
  concurrentP99Ms: number;
}

/** Rounds of the three reads before any is timed. */
export const WARM_UP_ROUNDS = 1000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The ratio of the two medians, recomputed over resamples of the read rounds (each round's two reads kept
 * together, as they ran under the same machine noise); the 2.5th and 97.5th percentiles of the resampled ratios.
 */
function bootstrapRatioInterval(num: number[], den: number[], resamples = 2000): [number, number] {
  const ratios: number[] = [];
  const a = new Array<number>(num.length);
  const b = new Array<number>(den.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < num.length; i++) {
      const k = Math.floor(Math.random() * num.length);
      a[i] = num[k]!;
      b[i] = den[k]!;
    }
    ratios.push(percentile(a, 50) / percentile(b, 50));
  }
  return [percentile(ratios, 2.5), percentile(ratios, 97.5)];
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
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
  // A real key from the store, as a firm's integration would present (the sandbox keys skip the store).
  const databaseUrl = `sqlite:${path.join(dir, 'service.db')}`;
  const db = await createDatabase(databaseUrl);
  const { key } = await createApiKeyRepository(db.knex).create({
    tenant: 'sandbox',
    role: 'admin',
    name: 'bench',
  });
  await db.close();
  // The API in its own process too: this process only plays the clients, so neither side's work is charged to the other.
  // It logs as in production (a line per request at info), to a file: its stdout carries only its URL.
  const api = await startChildProcess('bench-api-process.ts', API_NODE_FLAGS, {
    LOG_LEVEL: 'info',
    BENCH_LOG_FILE: path.join(dir, 'api.log'),
    CLIO_BASE_URL: clioUrl,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dir,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  // The fields the API's Clio client asks for, so every path moves the same records.
  const directUrl = `${clioUrl}/api/v4/matters.json?limit=50&order=id(asc)&fields=${encodeURIComponent(MATTER_FIELDS)}`;
  const directHeaders = { authorization: 'Bearer sandbox-access-token', 'x-api-version': '4.0.9' };
  const proxy = await startChildProcess('bench-proxy-process.ts', [], {
    UPSTREAM_URL: directUrl,
    UPSTREAM_AUTHORIZATION: directHeaders.authorization,
  });
  try {
    const apiUrl = `${api.url}/v1/matters?limit=50`;
    const apiHeaders = { authorization: `Bearer ${key}` };
    // Measured warm, as a service that runs for days is read. V8 goes on optimizing the API's functions for
    // thousands of reads (with --trace-opt: 177 compilations by the 500th read, 251 by the 1,000th, 371 by the
    // 2,500th, 432 by the 5,000th), each on a helper thread that takes a core from the reads being timed. With 20
    // rounds the first hundred timed reads came out about 0.05 above the rest; 1,000 rather than 200 gave 0.01 and
    // 0.06 lower in two pairs of runs.
    for (let i = 0; i < WARM_UP_ROUNDS; i++) {
      await timed(apiUrl, apiHeaders);
      await timed(directUrl, directHeaders);
      await timed(proxy.url);
    }
    const direct: number[] = [];
    const viaProxy: number[] = [];
    const viaApi: number[] = [];
    const cpuBefore = { api: cpuMsOf(api.pid), proxy: cpuMsOf(proxy.pid) };
    // Each round in another of the six orders, in turn: what one read leaves behind (a warm sandbox, a process
    // still writing its log line) falls on each of the others alike. Always direct, proxy, API, the ratio came out
    // about 0.03 lower: the API's work after its answer fell on the direct read that always came next.
    const reads = [
      async () => direct.push(await timed(directUrl, directHeaders)),
      async () => viaProxy.push(await timed(proxy.url)),
      async () => viaApi.push(await timed(apiUrl, apiHeaders)),
    ];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (let i = 0; i < samples; i++) {
      for (const k of orders[i % orders.length]!) await reads[k]!();
    }
    const cpuAfter = { api: cpuMsOf(api.pid), proxy: cpuMsOf(proxy.pid) };
    // Repeated reads of an unchanged page are what the loop above measures (the API recognizes Clio's identical
    // answer and reuses its parse and serialization). Here a matter on the page changes before every read, so
    // each answer is new to the API: the cost of a page it parses, validates and serializes afresh.
    const changedSamples = Math.ceil(samples / 2);
    const firstMatter = await firstRecordId(directUrl, directHeaders);
    let edits = 0;
    const edit = () => editMatter(clioUrl, directHeaders, firstMatter, `Bench edit ${++edits}`);
    const changedDirect: number[] = [];
    const changedApi: number[] = [];
    for (let i = 0; i < changedSamples; i++) {
      await edit();
      changedDirect.push(await timed(directUrl, directHeaders));
      await edit();
      changedApi.push(await timed(apiUrl, apiHeaders));
    }
    const perRead = (before?: number, after?: number) =>
      before === undefined || after === undefined ? undefined : (after - before) / samples;
    const concurrent: number[] = [];
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < perClient; i++) concurrent.push(await timed(apiUrl, apiHeaders));
      }),
    );
    const directP50 = percentile(direct, 50);
    const proxyP50 = percentile(viaProxy, 50);
    const apiP50 = percentile(viaApi, 50);
    return {
      samples,
      directP50Ms: directP50,
      proxyP50Ms: proxyP50,
      apiP50Ms: apiP50,
      apiCpuPerReadMs: perRead(cpuBefore.api, cpuAfter.api),
      proxyCpuPerReadMs: perRead(cpuBefore.proxy, cpuAfter.proxy),
      p50Ratio: apiP50 / directP50,
      p50RatioInterval: bootstrapRatioInterval(viaApi, direct),
      proxyP50Ratio: proxyP50 / directP50,
      changedSamples,
      changedDirectP50Ms: percentile(changedDirect, 50),
      changedApiP50Ms: percentile(changedApi, 50),
      changedP50Ratio: percentile(changedApi, 50) / percentile(changedDirect, 50),
      concurrentClients: clients,
      concurrentRequests: concurrent.length,
      concurrentP50Ms: percentile(concurrent, 50),
      concurrentP99Ms: percentile(concurrent, 99),
    };
  } finally {
    proxy.stop();
    api.stop();
    sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function firstRecordId(url: string, headers: Record<string, string>): Promise<number> {
  const page = (await (await fetch(url, { headers })).json()) as { data: { id: number }[] };
  return page.data[0]!.id;
}

async function editMatter(
  clioUrl: string,
  headers: Record<string, string>,
  id: number,
  description: string,
): Promise<void> {
  const res = await fetch(`${clioUrl}/api/v4/matters/${id}.json`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { description } }),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`editing matter ${id} answered ${res.status}`);
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

/** A script of this folder in its own process (node started with `nodeFlags`); its first line on stdout is its URL. */
async function startChildProcess(
  script: string,
  nodeFlags: readonly string[],
  env: Record<string, string>,
): Promise<{ url: string; pid?: number; stop: () => void }> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(__dirname, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** User + system CPU of a process (every thread), from Linux's /proc; undefined elsewhere. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: the 14th and 15th fields
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
