import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClioSandbox } from '../../../src/sandboxes/clio';
import { createPortalRouters } from '../../../src/sandboxes/clio/portal';
import { PortalClient } from './portal-harness';

const dir = mkdtempSync(join(tmpdir(), 'clio-portal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(): Promise<{ base: string; close: () => Promise<void> }> {
  const sandbox = createClioSandbox({ dbFile: join(dir, 'clio.db'), routers: createPortalRouters() });
  const port = await sandbox.listen(0);
  return { base: `http://127.0.0.1:${port}`, close: () => sandbox.close() };
}

describe('portal state on disk', () => {
  it('when the sandbox restarts on the same file, then the session and the Grow leads are still there', async () => {
    const first = await start();
    const c = new PortalClient(first.base);
    await c.signIn('admin@sandbox.test', 'totp');
    const posted = await fetch(`${first.base}/inbox_leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inbox_lead_token: 'sandbox-inbox-token',
        inbox_lead: {
          from_first: 'Ida',
          from_last: 'Vale',
          from_message: 'Hello',
          referring_url: 'Phone call',
          from_source: 'Phone',
        },
      }),
    });
    expect(posted.status).toBe(201);
    await first.close();

    const second = await start();
    try {
      const again = new PortalClient(second.base);
      again.jar.adopt(c.jar);
      expect((await again.json('/internal/session')).status).toBe(200);
      const dump = (await (await fetch(`${second.base}/_sandbox/dump`)).json()) as { inbox_leads: unknown[] };
      expect(dump.inbox_leads).toHaveLength(51);
    } finally {
      await second.close();
    }
  });
});
