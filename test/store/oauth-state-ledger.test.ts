import { createOAuthStateLedger } from '../../src/integrations/clio/oauth/state-ledger';
import { clioRedirectUri } from '../../src/api/routes/clio-oauth';
import { createDatabase, type Database } from '../../src/store/database';
import { testDialects } from './dialects';

describe.each(testDialects())('OAuth state ledger on $name', (dialect) => {
  let db: Database;
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  test('when a state is presented, then it is taken once; later and concurrent presentations are refused', async () => {
    const states = createOAuthStateLedger(db.knex);
    const expires = Date.now() + 600_000;
    expect(await states.consume('n-once', expires)).toBe(true);
    expect(await states.consume('n-once', expires)).toBe(false);
    const racing = await Promise.all(Array.from({ length: 8 }, () => states.consume('n-race', expires)));
    expect(racing.filter(Boolean)).toHaveLength(1);
  });

  test('when states are pruned, then only the expired ones go', async () => {
    const states = createOAuthStateLedger(db.knex);
    await states.consume('n-expired', Date.now() - 1_000);
    await states.consume('n-live', Date.now() + 600_000);
    expect(await states.prune(new Date())).toBeGreaterThanOrEqual(1);
    const left = (await db.knex('oauth_states_used').pluck('nonce')) as string[];
    expect(left).toContain('n-live');
    expect(left).not.toContain('n-expired');
  });
});

describe('the OAuth redirect URI', () => {
  test.each([
    ['https://orchestrator.firm.example', 'https://orchestrator.firm.example/oauth/clio/callback'],
    ['https://firm.example/orchestrator', 'https://firm.example/orchestrator/oauth/clio/callback'],
    ['https://firm.example/orchestrator/', 'https://firm.example/orchestrator/oauth/clio/callback'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/oauth/clio/callback'],
  ])('under PUBLIC_URL %s is %s', (publicUrl, expected) => {
    expect(clioRedirectUri(publicUrl)).toBe(expected);
  });
});
