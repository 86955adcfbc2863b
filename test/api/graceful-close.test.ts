import { Agent, request } from 'node:http';
import { type Api, startApi } from './api-harness';

/** A time entry: with no Temporal behind the API it is answered 503 after API_TEMPORAL_TIMEOUT_SECONDS (1 s). */
function slowPost(port: number, agent: Agent): Promise<{ status: number; connection?: string }> {
  const body = JSON.stringify({
    entries: [{ matterId: '1', date: '2026-11-20', durationSeconds: 60, description: 'Call' }],
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/time-entries',
        agent,
        headers: {
          authorization: 'Bearer sandbox-attorney',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('API shutdown', () => {
  let api: Api;
  beforeAll(async () => {
    // No Temporal behind it: a time entry is answered 503 after API_TEMPORAL_TIMEOUT_SECONDS (1 s here).
    api = await startApi();
  });

  test('when a client keeps sending on a kept-alive connection, then shutdown still ends: the answer in flight says Connection: close and the connection is closed after it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: { status: number; connection?: string }[] = [];
    let firstSent!: () => void;
    const sent = new Promise<void>((r) => (firstSent = r));
    const client = (async () => {
      const until = Date.now() + 8_000;
      while (Date.now() < until) {
        const answer = slowPost(api.port, agent);
        firstSent();
        try {
          answers.push(await answer);
        } catch {
          return; // refused: the server is gone
        }
      }
    })();
    await sent;
    await new Promise((r) => setTimeout(r, 200)); // the request is in the API, waiting for Temporal
    const started = Date.now();
    await api.stop();
    const closedAfterMs = Date.now() - started;
    await client;
    agent.destroy();
    // The answer in flight (about 1 s) finishes, then the connection closes; not the client's 8 s of sending.
    expect(closedAfterMs).toBeLessThan(4_000);
    expect(answers[0]).toEqual({ status: 503, connection: 'close' });
  });
});
