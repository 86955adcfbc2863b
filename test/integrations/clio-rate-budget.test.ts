import { runRateBudgetScenario } from '../../scripts/bench-rate-budget';

/**
 * The scenario, in full: 300 requests from one process under a 120/min sandbox limit. The floor is
 * two 60 s windows (see runRateBudgetScenario), so this file takes a little over two minutes; it runs in a
 * jest worker of its own while the other files run.
 */
describe('Clio rate budget', () => {
  it('when 300 requests share a 120/min token, then none is answered 429 and the run stays within 1.15x the floor', async () => {
    const r = await runRateBudgetScenario({ requests: 300, perMinute: 120 });
    expect({ answers429: r.answers429, failures: r.failures }).toEqual({ answers429: 0, failures: 0 });
    expect(r.floorMs).toBe(120_000);
    expect(r.ratio).toBeLessThanOrEqual(1.15);
  }, 170_000);
});
