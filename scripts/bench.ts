/**
 * `npm run bench`: the project's performance figures, measured on this machine in one run (report ratios: the
 * machine is shared and noisy). Scenarios: the Clio rate budget (300 requests under a 120/min limit) and the
 * API's read overhead (GET /v1/matters?limit=50 vs the same read made directly against the Clio sandbox).
 *   npm run bench                 both
 *   npm run bench -- reads        one of them (reads | rate-budget)
 */
import { runRateBudgetScenario } from './bench-rate-budget';
import { runReadsScenario, WARM_UP_ROUNDS } from './bench-reads';

async function main(): Promise<number> {
  const only = process.argv[2];
  let ok = true;
  if (!only || only === 'reads') {
    const r = await runReadsScenario();
    console.log('== reads: GET /v1/matters?limit=50 through the API vs directly against the Clio sandbox ==');
    console.log(
      `samples            ${r.samples} each, back to back, in rotating order, after ${WARM_UP_ROUNDS.toLocaleString('en')} warm-up rounds`,
    );
    console.log(`direct p50         ${r.directP50Ms.toFixed(2)} ms`);
    console.log(
      `bare proxy p50     ${r.proxyP50Ms.toFixed(2)} ms  (ratio ${r.proxyP50Ratio.toFixed(2)}: the floor for any service in between)`,
    );
    // What the API itself adds, apart from the extra hop any service in between costs on this machine.
    console.log(
      `api p50            ${r.apiP50Ms.toFixed(2)} ms  (${(r.apiP50Ms / r.proxyP50Ms).toFixed(2)}× the bare proxy)`,
    );
    const [lo, hi] = r.p50RatioInterval;
    console.log(
      `p50 ratio          ${r.p50Ratio.toFixed(2)}  (target ≤ 1.5; this run's 95 % interval ${lo.toFixed(2)}–${hi.toFixed(2)})`,
    );
    console.log(
      `page changed       direct p50 ${r.changedDirectP50Ms.toFixed(2)} ms, api p50 ${r.changedApiP50Ms.toFixed(2)} ms, ratio ${r.changedP50Ratio.toFixed(2)} (${r.changedSamples} each: a matter on the page edited before every read)`,
    );
    if (r.apiCpuPerReadMs !== undefined && r.proxyCpuPerReadMs !== undefined)
      console.log(
        `CPU per read       API ${r.apiCpuPerReadMs.toFixed(2)} ms, bare proxy ${r.proxyCpuPerReadMs.toFixed(2)} ms (all threads)`,
      );
    console.log(
      `${r.concurrentClients} clients p50      ${r.concurrentP50Ms.toFixed(1)} ms over ${r.concurrentRequests} requests`,
    );
    console.log(
      `${r.concurrentClients} clients p99      ${r.concurrentP99Ms.toFixed(1)} ms  (target < 1000)`,
    );
    ok &&= r.p50Ratio <= 1.5 && r.concurrentP99Ms < 1000;
  }
  if (!only || only === 'rate-budget') {
    const r = await runRateBudgetScenario();
    console.log('== rate budget: 300 Clio requests from one process under a 120/min sandbox limit ==');
    console.log(`requests           ${r.requests} at ${r.perMinute}/min`);
    console.log(`elapsed            ${(r.elapsedMs / 1000).toFixed(1)} s`);
    console.log(`floor              ${(r.floorMs / 1000).toFixed(1)} s`);
    console.log(`ratio              ${r.ratio.toFixed(3)}  (target ≤ 1.15)`);
    console.log(`429s               ${r.answers429}`);
    ok &&= r.answers429 === 0 && r.ratio <= 1.15;
  }
  return ok ? 0 : 1;
}

void main().then((code) => {
  process.exitCode = code;
});
