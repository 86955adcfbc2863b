import { createClioSandbox, type ClioSandbox } from '../../../src/sandboxes/clio';
import { call, useSandbox } from './helpers';

describe('the iManage and Clio sandboxes seed one firm', () => {
  const s = useSandbox();
  let clio: ClioSandbox;
  let clioBase = '';
  beforeAll(async () => {
    clio = createClioSandbox();
    clioBase = `http://127.0.0.1:${await clio.listen(0)}`;
  });
  afterAll(async () => {
    await clio?.close();
  });

  test.each([1, 42, 500, 1000])(
    'when Clio matter %i is looked up in iManage by its number, then its workspace names the same client',
    async (n) => {
      const res = await fetch(
        `${clioBase}/api/v4/matters.json?fields=id,number,description,client{id,name}&limit=200&query=${String(n).padStart(5, '0')}`,
        {
          headers: { authorization: 'Bearer sandbox-access-token' },
        },
      );
      const matters = (
        (await res.json()) as {
          data: { number: number; description: string; client: { id: number; name: string } }[];
        }
      ).data;
      const matter = matters.find((m) => m.number === n)!;
      expect(matter).toBeDefined();
      const ws = await call(`${s.lib}/workspaces?custom2=${String(n).padStart(5, '0')}&total=true`, s.token);
      expect(ws.body.total_count).toBe(1);
      expect(ws.body.data.results[0]).toMatchObject({
        id: `ACTIVE!${n}`,
        custom1: String(matter.client.id),
        custom1_description: matter.client.name,
      });
      expect(ws.body.data.results[0].name).toContain(matter.description.slice(0, 20));
    },
  );
});
