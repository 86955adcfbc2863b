import { type Api, send, startApi } from './api-harness';

interface Line {
  level: number;
  msg: string;
  code?: string;
  cause?: string;
  err?: { stack?: string };
  req?: { id?: string };
}

/** What the operator's log says when the API answers 5xx: why, without a stack trace for what is expected. */
describe('API log lines of 5xx answers', () => {
  let api: Api;
  beforeAll(async () => {
    // CLIO_BASE_URL points where nothing listens; no Temporal server either.
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  const linesOf = (requestId: string): Line[] =>
    api.logs
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.req?.id === requestId || l.msg.includes(requestId));

  test('when Clio cannot be reached, then the 502 is logged as a warning naming the cause, without a stack', async () => {
    const res = await send(api, 'GET', '/v1/matters', {
      authorization: 'Bearer sandbox-paralegal',
      'x-request-id': 'clio-down-1',
    });
    expect(res.status).toBe(502);
    await new Promise((r) => setTimeout(r, 50));
    const lines = linesOf('clio-down-1');
    const answered = lines.find((l) => l.code === 'clio_unavailable');
    expect(answered).toMatchObject({ level: 40 });
    expect(answered!.cause).toMatch(/NetworkError|ECONNREFUSED|connect/i);
    expect(JSON.stringify(lines)).not.toMatch(/\\n\s+at /);
  });

  test('when Temporal cannot be reached, then the 503 is a warning without a stack', async () => {
    const res = await send(
      api,
      'POST',
      '/v1/time-entries',
      {
        authorization: 'Bearer sandbox-attorney',
        'content-type': 'application/json',
        'x-request-id': 'temporal-down-1',
      },
      JSON.stringify({
        entries: [{ matterId: '1', date: '2026-11-20', durationSeconds: 60, description: 'x' }],
      }),
    );
    expect(res.status).toBe(503);
    await new Promise((r) => setTimeout(r, 50));
    const lines = linesOf('temporal-down-1');
    expect(lines.find((l) => l.code === 'temporal_unavailable')).toMatchObject({ level: 40 });
    expect(lines.every((l) => l.level < 50)).toBe(true);
    expect(JSON.stringify(lines)).not.toMatch(/\\n\s+at /);
  });
});
