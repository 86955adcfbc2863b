import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIManageSandbox } from '../../../src/sandboxes/imanage';
import { call, dump, type Running, start, tokenFor } from './helpers';
import { clioFirm } from '../../../src/sandboxes/imanage/state/clio-firm';

describe('iManage sandbox: persistence and determinism', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'imanage-sandbox-'));
  const running: Running[] = [];
  const track = async (opts: Parameters<typeof start>[0]) => {
    const r = await start(opts);
    running.push(r);
    return r;
  };
  afterAll(async () => {
    await Promise.all(running.map((r) => r.sandbox.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when restarted on the same file, then writes and tokens survive and the seed is not rewritten', async () => {
    const dbFile = path.join(dir, 'nested', 'imanage.db');
    const first = await track({ dbFile });
    const token = await tokenFor(first.base);
    await call(`${first.lib}/customs/custom1`, token, {
      json: { id: 'P1', description: 'Persisted client' },
    });
    await call(`${first.lib}/customs/custom2`, token, { json: { id: 'P1-1', parent: { id: 'P1' } } });
    const ws = await call(`${first.lib}/workspaces`, token, {
      json: { name: 'Persisted', custom1: 'P1', custom2: 'P1-1' },
    });
    expect(ws.status).toBe(201);
    await first.sandbox.close();

    // A different seed must not matter: an existing database is never reseeded.
    const second = await track({ dbFile, seed: 99 });
    const again = await call(`${second.lib}/workspaces/${ws.body.data.id as string}`, token);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ name: 'Persisted', custom1: 'P1', custom2: 'P1-1' });
    const d = await dump(second.base);
    expect(d.workspaces).toHaveLength(1001);
    expect(d.custom1.some((c: { id: string }) => c.id === 'P1')).toBe(true);
    // Numbering continues after a restart instead of reusing numbers.
    const next = await call(`${second.lib}/workspaces`, token, { json: { name: 'After restart' } });
    expect(next.body.data.document_number).toBe((ws.body.data.document_number as number) + 1);
  });

  it('when two sandboxes share a seed, then their dumps are identical; another seed differs', async () => {
    // CPU time, not wall time (as the Clio sandbox's seeding test): a loaded CI machine stretches wall time.
    const cpu = process.cpuUsage();
    const a = createIManageSandbox({ seed: 7 });
    const used = process.cpuUsage(cpu);
    const seedMs = (used.user + used.system) / 1000;
    const ra = await track({ seed: 7 });
    const rb = await track({ seed: 7 });
    const rc = await track({ seed: 8 });
    await a.close();
    expect(seedMs).toBeLessThan(3000);
    const [da, db, dc] = await Promise.all([dump(ra.base), dump(rb.base), dump(rc.base)]);
    expect(JSON.stringify(da)).toBe(JSON.stringify(db));
    expect(JSON.stringify(dc)).not.toBe(JSON.stringify(da));
    expect(da.workspaces).toHaveLength(1000);
    expect(da.folders).toHaveLength(5000);
    expect(da.custom1).toHaveLength(clioFirm(7).clients.length);
    expect(da.custom2).toHaveLength(1000);
  });

  it('when a sandbox is reset after writes, then its dump equals a fresh one with the same seed', async () => {
    const r = await track({ seed: 3 });
    const fresh = JSON.stringify(await dump(r.base));
    const token = await tokenFor(r.base);
    await call(`${r.lib}/workspaces`, token, { json: { name: 'Temporary' } });
    r.sandbox.reset();
    expect(JSON.stringify(await dump(r.base))).toBe(fresh);
  });
});
