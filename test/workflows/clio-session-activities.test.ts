import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createClioPortalActivities } from '../../activities/clio-portal-session';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { DEFAULT_PORTAL_PATHS } from '../../src/integrations/clio-portal';
import { createSessionStore, type SessionLink, type SessionStore } from '../../src/sessions';
import { createDatabase, type Database } from '../../src/store/database';
import { type SessionView } from '../../workflows/shared/session-messages';

const SETTINGS = { mfaWaitMs: 600_000, maxPrompts: 3, maxCodeAttempts: 4, healthCheckIntervalMs: 300_000 };

/**
 * A session link that records what the portal activity told the session workflow; `state` undefined is a tenant
 * whose session workflow was never started.
 */
function fakeLink(state: SessionView['state'] | undefined, generation = 1) {
  const calls: string[] = [];
  const link: SessionLink = {
    ensure: (tenant) => Promise.resolve(void calls.push(`ensure ${tenant}`)),
    reportExpired: (tenant, generation) =>
      Promise.resolve(void calls.push(`expired ${tenant} ${generation}`)),
    state: (tenant) =>
      Promise.resolve(
        state && {
          tenant,
          state,
          since: '',
          generation,
          attempts: 0,
          prompts: 0,
          reason: 'portal changed',
        },
      ),
    retry: (tenant) => Promise.resolve(void calls.push(`retry ${tenant}`)),
  };
  return { link, calls };
}

describe('portal activities on a shared session (withPortalSession)', () => {
  let clio: ClioSandbox;
  let baseUrl: string;
  let db: Database;
  let store: SessionStore;
  beforeAll(async () => {
    clio = createClioSandbox();
    baseUrl = `http://127.0.0.1:${await clio.listen(0)}`;
    db = await createDatabase('sqlite::memory:');
    store = createSessionStore(db.knex, randomBytes(32));
  });
  afterAll(async () => {
    await db.close();
    await clio.close();
  });

  const run = (link: SessionLink, tenant: string) => {
    const activities = createClioPortalActivities({
      store,
      portal: { baseUrl, paths: DEFAULT_PORTAL_PATHS },
      settings: SETTINGS,
      link,
    });
    return new MockActivityEnvironment().run((input) => activities.portalRequest(input), {
      tenant,
      method: 'GET' as const,
      path: '/internal/settings/billing',
    });
  };

  test('when no session exists yet, then the session is started and the call retries soon', async () => {
    const { link, calls } = fakeLink(undefined);
    const err = (await run(link, 'fresh').catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'PortalSessionNotReady', nonRetryable: false });
    expect(calls).toEqual(['ensure fresh']);
  });

  test('when the portal answers 401, then the generation used is reported and the call retries after the new sign-in', async () => {
    await store.saveMaterial('t1', 7, {
      cookies: [
        { name: '_clio_session', value: 'not-a-live-session', domain: '127.0.0.1', path: '/', expires: -1 },
      ],
      csrfToken: 'x',
      signedInAt: new Date().toISOString(),
    });
    const { link, calls } = fakeLink('active', 7);
    const err = (await run(link, 't1').catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toMatchObject({ type: 'PortalSessionExpired', nonRetryable: false });
    expect(calls).toEqual(['expired t1 7']);
  });

  test('when the session has failed, then the call fails for good instead of retrying', async () => {
    const { link } = fakeLink('failed');
    await expect(run(link, 't1')).rejects.toMatchObject({ type: 'PortalSessionFailed', nonRetryable: true });
    await expect(run(link, 'never-signed-in')).rejects.toMatchObject({
      type: 'PortalSessionFailed',
      nonRetryable: true,
    });
  });
});
