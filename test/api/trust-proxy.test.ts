import { loadConfig } from '../../src/config';
import { type Api, send, startApi } from './api-harness';

/** Which proxy's X-Forwarded-For names the client decides whose requests count together (TRUST_PROXY). */
async function refusalsUntilHeldBack(api: Api, forwardedFor: (i: number) => string): Promise<number> {
  for (let i = 0; i < 80; i++) {
    const res = await send(api, 'GET', '/v1/webhooks', {
      'x-forwarded-for': forwardedFor(i),
      authorization: 'Bearer not-a-key',
    });
    if (res.status === 429) return i;
    expect(res.status).toBe(401);
  }
  return Infinity;
}

describe('TRUST_PROXY', () => {
  test('when unset, then a proxy on this host names the client: 80 refusals from 80 forwarded addresses hold none back', async () => {
    const api = await startApi();
    try {
      expect(await refusalsUntilHeldBack(api, (i) => `203.0.113.${i + 1}`)).toBe(Infinity);
    } finally {
      await api.stop();
    }
  });

  test('when it names only another proxy, then X-Forwarded-For from this host is not believed: every request counts for the connection, held back after 60', async () => {
    const api = await startApi({ TRUST_PROXY: '10.20.0.0/16, 192.0.2.7' });
    try {
      expect(await refusalsUntilHeldBack(api, (i) => `203.0.113.${i + 1}`)).toBe(60);
    } finally {
      await api.stop();
    }
  });

  test('when it is not a list of addresses, ranges or the known names, then the configuration is refused naming it', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: 'loopback, uniquelocal, 172.16.0.0/12' }).TRUST_PROXY).toEqual([
      'loopback',
      'uniquelocal',
      '172.16.0.0/12',
    ]);
    for (const bad of ['everything', '10.0.0.0/99', ' , ', 'true'])
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY: must/);
  });
});
