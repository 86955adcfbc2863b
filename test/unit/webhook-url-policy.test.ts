import { addressRefusal, checkWebhookUrl, type UrlPolicy, UrlRefused } from '../../src/webhooks/url-policy';

const strict: UrlPolicy = { allowLoopback: false, allowPrivate: false };

describe('webhook address policy', () => {
  test.each([
    // IPv4-compatible addresses (::a.b.c.d, deprecated by RFC 4291) that embed loopback, private and
    // link-local addresses: a stack that still tunnels them would dial the embedded IPv4 address.
    ['::7f00:1', /loopback/],
    ['::a00:1', /address/],
    ['::a9fe:a9fe', /address/],
    // IPv6 outside global unicast (2000::/3) that ipaddr.js files under 'unicast': no public receiver has one.
    ['::2', /address/],
    ['1::1', /address/],
    ['4000::1', /address/],
  ])('%s is refused where neither private nor loopback targets are allowed', (address, reason) => {
    expect(addressRefusal(address, strict)).toMatch(reason);
  });

  test('an IPv4-compatible form of loopback stays loopback where private targets are allowed', () => {
    expect(addressRefusal('::7f00:1', { allowLoopback: false, allowPrivate: true })).toMatch(/loopback/);
  });

  test.each(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '93.184.215.14', '8.8.8.8'])(
    'the public address %s is allowed',
    (address) => {
      expect(addressRefusal(address, strict)).toBeUndefined();
    },
  );

  test.each(['http://[::127.0.0.1]:1/hook', 'http://[::10.0.0.1]/hook', 'http://[::2]/hook'])(
    'the URL %s is refused at subscription',
    async (url) => {
      await expect(checkWebhookUrl(url, strict)).rejects.toThrow(/address/);
    },
  );

  test.each(['169.254.169.254', '169.254.0.1', 'fe80::1', '::ffff:169.254.169.254', '::a9fe:a9fe'])(
    'the link-local address %s is refused even where private and loopback targets are allowed',
    (address) => {
      // Cloud metadata services answer there (169.254.169.254 hands out the host's credentials); no receiver does.
      const permissive: UrlPolicy = { allowLoopback: true, allowPrivate: true };
      expect(addressRefusal(address, permissive)).toMatch(/link-local/);
    },
  );

  test('a private address is still allowed where private targets are', () => {
    expect(addressRefusal('10.0.0.7', { allowLoopback: false, allowPrivate: true })).toBeUndefined();
  });
});

/**
 * A tenant must not learn from a refusal what the firm's DNS holds: whether a name exists (`db.internal`) or
 * which range it points into. So a host name that does not resolve and one that resolves to a refused address
 * get the same reason; only the operator's detail says which.
 */
describe('a refused host name says nothing about what it resolves to', () => {
  const answers: Record<string, string[]> = {
    'private.example.test': ['10.1.2.3'],
    'loopback.example.test': ['127.0.0.1'],
    'v6-loopback.example.test': ['::1'],
    'unique-local.example.test': ['fd12:3456::1'],
    'metadata.example.test': ['169.254.169.254'],
    'shared.example.test': ['100.64.0.9'],
    'this-host.example.test': ['0.0.0.0'],
    'mixed.example.test': ['93.184.215.14', '10.0.0.7'],
  };
  const resolve = (host: string) =>
    host in answers
      ? Promise.resolve(answers[host]!)
      : Promise.reject(Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
  const refusalOf = (url: string, policy: UrlPolicy = strict) =>
    checkWebhookUrl(url, policy, resolve).then(
      () => undefined,
      (err: unknown) => err as Error & { detail?: string },
    );

  test.each(Object.keys(answers))(
    'where private targets are not allowed, %s is refused exactly like a name that does not resolve',
    async (host) => {
      const unresolved = await refusalOf('https://missing.example.test/hook');
      const refused = await refusalOf(`https://${host}/hook`);
      expect(unresolved).toBeInstanceOf(UrlRefused);
      expect(refused).toBeInstanceOf(UrlRefused);
      expect(refused?.message).toBe('must resolve to a public address');
      expect({ name: refused?.name, message: refused?.message }).toEqual({
        name: unresolved?.name,
        message: unresolved?.message,
      });
      // The operator's detail says what the name resolved to; the tenant never sees it.
      expect(refused?.detail).toContain(host);
      expect(refused?.detail).toMatch(/resolves to/);
      expect(unresolved?.detail).toMatch(/ENOTFOUND/);
    },
  );

  test('in sandbox mode too (loopback allowed, private not), a name pointing at a private address reads as one that does not resolve', async () => {
    const sandbox: UrlPolicy = { allowLoopback: true, allowPrivate: false };
    const refused = await refusalOf('https://private.example.test/hook', sandbox);
    const unresolved = await refusalOf('https://missing.example.test/hook', sandbox);
    expect(refused?.message).toBe(unresolved?.message);
    await expect(
      checkWebhookUrl('https://loopback.example.test/hook', sandbox, resolve),
    ).resolves.toBeInstanceOf(URL);
  });

  test('where private targets are allowed, a name pointing at link-local is still refused, in the same words as one that does not resolve', async () => {
    const permissive: UrlPolicy = { allowLoopback: false, allowPrivate: true };
    const refused = await refusalOf('https://metadata.example.test/hook', permissive);
    const unresolved = await refusalOf('https://missing.example.test/hook', permissive);
    expect(refused).toBeInstanceOf(UrlRefused);
    expect(refused?.message).toBe(unresolved?.message);
    expect(refused?.message).not.toMatch(/link-local/);
    expect(refused?.detail).toMatch(/link-local/);
    await expect(
      checkWebhookUrl('https://private.example.test/hook', permissive, resolve),
    ).resolves.toBeInstanceOf(URL);
  });

  test.each([
    ['http://10.1.2.3/hook', /private/],
    ['http://127.0.0.1/hook', /loopback/],
    ['http://169.254.169.254/latest', /link-local/],
    ['http://[fd12:3456::1]/hook', /uniqueLocal/],
  ])(
    'an address written in the URL (%s) is still named as refused: the client wrote it',
    async (url, reason) => {
      await expect(checkWebhookUrl(url, strict, resolve)).rejects.toThrow(reason);
    },
  );

  test.each([
    ['ftp://missing.example.test/x', 'must be an http or https URL'],
    ['https://user:pw@missing.example.test/x', 'must not carry credentials'],
    ['not a url', 'is not a URL'],
  ])('%s keeps its own reason', async (url, reason) => {
    await expect(checkWebhookUrl(url, strict, resolve)).rejects.toThrow(reason);
  });
});
