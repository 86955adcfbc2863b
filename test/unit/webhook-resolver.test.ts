import { pbkdf2 } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { checkWebhookUrl, dnsResolve, HostRefused } from '../../src/webhooks/url-policy';

const ANSWER = '93.184.215.14';

/**
 * A DNS server on loopback (UDP) that answers every A question with ANSWER and every other one with no record,
 * or, `silent`, answers nothing at all. It counts the questions it got.
 */
async function dnsServer(silent: boolean): Promise<{ server: string; questions: number; close: () => void }> {
  const socket: Socket = createSocket('udp4');
  const state = { questions: 0 };
  socket.on('message', (query, peer) => {
    state.questions++;
    if (silent) return;
    let end = 12;
    while (query[end]! !== 0) end += query[end]! + 1;
    const question = query.subarray(12, end + 5);
    const isA = query.readUInt16BE(end + 1) === 1;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the query's id
    header.writeUInt16BE(0x8180, 2); // a response, recursion desired and available, no error
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(isA ? 1 : 0, 6);
    const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ANSWER.split('.').map(Number)]);
    socket.send(Buffer.concat([header, question, ...(isA ? [answer] : [])]), peer.port, peer.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    get questions() {
      return state.questions;
    },
    close: () => socket.close(),
  };
}

describe('the resolver of webhook deliveries', () => {
  test('a DNS server that never answers: the lookup gives up after its tries, within its timeout, and fails', async () => {
    const dns = await dnsServer(true);
    try {
      const resolve = dnsResolve({ servers: [dns.server], timeoutMs: 200, tries: 2 });
      const started = Date.now();
      await expect(resolve('stalled.example.test')).rejects.toThrow();
      // Two tries each for A and AAAA, the second after a doubled timeout: about 600 ms.
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(dns.questions).toBe(4);
    } finally {
      dns.close();
    }
  });

  test('it asks DNS itself, off the threadpool: it answers while every threadpool thread is busy', async () => {
    const dns = await dnsServer(false);
    try {
      const resolve = dnsResolve({ servers: [dns.server] });
      const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
      const done: Record<string, number> = {};
      const busy = Array.from(
        { length: threads },
        () => new Promise((r) => pbkdf2('x', 'y', 3_000_000, 64, 'sha512', r)),
      );
      const firstBusyDone = Promise.race(busy).then(() => (done.busy = Date.now()));
      const ours = resolve('hooks.example.test').then((a) => ((done.ours = Date.now()), a));
      // The system resolver (getaddrinfo) queues behind them: the pool is busy indeed.
      const system = lookup('localhost').then(() => (done.system = Date.now()));
      await expect(ours).resolves.toEqual([ANSWER]);
      await Promise.all([...busy, firstBusyDone, system]);
      expect(done.ours).toBeLessThan(done.busy!);
      expect(done.system).toBeGreaterThanOrEqual(done.busy!);
    } finally {
      dns.close();
    }
  }, 30_000);

  test.each([
    ['127.0.0.1', ['127.0.0.1']],
    ['2001:db8::1', ['2001:db8::1']],
    ['localhost', ['127.0.0.1', '::1']],
    ['hooks.localhost', ['127.0.0.1', '::1']],
    ['LOCALHOST.', ['127.0.0.1', '::1']],
  ])('%s is answered without asking DNS', async (host, addresses) => {
    const dns = await dnsServer(true);
    try {
      await expect(dnsResolve({ servers: [dns.server] })(host)).resolves.toEqual(addresses);
      expect(dns.questions).toBe(0);
    } finally {
      dns.close();
    }
  });

  test('localhost is loopback to the URL check, refused outside sandbox mode and allowed in it', async () => {
    const refused = await checkWebhookUrl('http://localhost:1/hook', {
      allowLoopback: false,
      allowPrivate: true,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    // A host name's refusal names no address to the tenant (no more than a name that does not resolve gets);
    // the operator's detail does.
    expect(refused).toBeInstanceOf(HostRefused);
    expect((refused as HostRefused).message).toBe('must resolve to an address webhooks may reach');
    expect((refused as HostRefused).detail).toMatch(
      /localhost resolves to 127\.0\.0\.1: targets a loopback address/,
    );
    await expect(
      checkWebhookUrl('http://localhost:1/hook', { allowLoopback: true, allowPrivate: false }),
    ).resolves.toBeInstanceOf(URL);
  });
});
