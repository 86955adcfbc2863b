import { randomBytes } from 'node:crypto';
import {
  createSessionStore,
  signInAgainIfUserChanged,
  type SessionLink,
  type SessionStore,
} from '../../src/sessions';
import { createDatabase, type Database } from '../../src/store/database';

/**
 * A session link that records the expiry reports it is given, over a running session (or, `running: false`, a
 * Temporal that has no session workflow: never started, or ended and forgotten).
 */
function recordingLink({ running = true } = {}): { link: SessionLink; reports: string[] } {
  const reports: string[] = [];
  const never = () => Promise.reject(new Error('not used here'));
  const link: SessionLink = {
    ensure: never,
    state: (tenant) =>
      Promise.resolve(
        running ? { tenant, state: 'active', since: '', generation: 2, attempts: 0, prompts: 0 } : undefined,
      ),
    retry: never,
    reportExpired: (tenant, generation) => Promise.resolve(void reports.push(`${tenant} ${generation}`)),
  };
  return { link, reports };
}

describe('a stored session signed in as another web-app user than the configured one', () => {
  let db: Database;
  let store: SessionStore;
  beforeEach(async () => {
    db = await createDatabase('sqlite::memory:');
    store = createSessionStore(db.knex, randomBytes(32));
  });
  afterEach(async () => {
    await db.close();
  });

  const material = (signedInAs?: string) => ({
    cookies: [{ name: 'sid', value: 'v', domain: '127.0.0.1', path: '/', expires: -1 }],
    csrfToken: 'csrf',
    signedInAt: '2026-11-26T00:00:00.000Z',
    ...(signedInAs ? { signedInAs } : {}),
  });

  test('when the configured user changed, then the live generation is reported expired, so the session signs in again', async () => {
    await store.saveMaterial('acme', 1, material('admin@firm.test'));
    await store.saveMaterial('acme', 2, material('admin@firm.test'));
    const { link, reports } = recordingLink();
    expect(await signInAgainIfUserChanged({ store, link, tenant: 'acme', username: 'clerk@firm.test' })).toBe(
      true,
    );
    expect(reports).toEqual(['acme 2']);
  });

  test.each([
    ['the same user, written in another case', material('Admin@Firm.test')],
    ['material saved before the user was recorded', material()],
  ])('when it is %s, then nothing is reported', async (_case, stored) => {
    await store.saveMaterial('acme', 1, stored);
    const { link, reports } = recordingLink();
    expect(await signInAgainIfUserChanged({ store, link, tenant: 'acme', username: 'admin@firm.test' })).toBe(
      false,
    );
    expect(reports).toEqual([]);
  });

  test('when the session workflow ended and Temporal has forgotten it, then nothing is reported (a report would start it again)', async () => {
    await store.saveMaterial('acme', 2, material('admin@firm.test'));
    await store.noteEnded('acme', {
      chain: 'chain-1',
      status: 'TERMINATED',
      reason: 'The session workflow ended (TERMINATED)',
      at: new Date(),
    });
    const { link, reports } = recordingLink({ running: false });
    expect(await signInAgainIfUserChanged({ store, link, tenant: 'acme', username: 'clerk@firm.test' })).toBe(
      false,
    );
    expect(reports).toEqual([]);
  });

  test('when no session was ever stored, then nothing is reported', async () => {
    const { link, reports } = recordingLink();
    expect(await signInAgainIfUserChanged({ store, link, tenant: 'acme', username: 'admin@firm.test' })).toBe(
      false,
    );
    expect(reports).toEqual([]);
  });
});
