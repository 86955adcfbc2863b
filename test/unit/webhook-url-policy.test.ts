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

  const privateAllowed: UrlPolicy = { allowLoopback: false, allowPrivate: true };

  // Cloud metadata endpoints written so that no plain range check sees link-local: in a range that
  // WEBHOOK_ALLOW_PRIVATE_TARGETS opens, or embedded in an IPv6 address a translator or tunnel would dial.
  const metadataSpellings: [string, RegExp][] = [
    ['fd00:ec2::254', /cloud metadata/], // AWS, in unique-local fc00::/7
    ['fd20:ce::254', /cloud metadata/], // Google Compute Engine, in unique-local fc00::/7
    ['100.100.100.200', /cloud metadata/], // Alibaba Cloud, in carrier-grade NAT 100.64.0.0/10
    ['64:ff9b::a9fe:a9fe', /link-local/], // NAT64 well-known prefix (RFC 6052)
    ['64:ff9b:1::a9fe:a9fe', /link-local/], // local-use NAT64 prefix (RFC 8215)
    ['2002:a9fe:a9fe::', /link-local/], // 6to4 (RFC 3056)
    ['::ffff:0:a9fe:a9fe', /link-local/], // IPv4-translated (RFC 2765)
    ['2001:0:a9fe:a9fe::', /link-local/], // Teredo server (RFC 4380)
    ['2001:0:4136:e378:8000:63bf:5601:5601', /link-local/], // Teredo client, bits flipped: 169.254.169.254
    ['64:ff9b::6464:64c8', /cloud metadata/], // Alibaba's, through NAT64
    ['2002:6464:64c8::', /cloud metadata/], // Alibaba's, through 6to4
    // Local-use NAT64 with a shorter prefix carved from it (RFC 6052 §2.2: byte 8 skipped): /48, /56, /64 layouts.
    ['64:ff9b:1:a9fe:a9:fe00::', /link-local/],
    ['64:ff9b:1:a9fe:a9:fe00:808:808', /link-local/],
    ['64:ff9b:1:0:a9:fea9:fe00:0', /link-local/],
    ['64:ff9b:1:a9:fe:a9fe::', /link-local/],
    ['64:ff9b:1:6464:64:c800:808:808', /cloud metadata/],
  ];

  test.each(metadataSpellings)('%s is refused even where private targets are allowed', (address, reason) => {
    expect(addressRefusal(address, privateAllowed)).toMatch(reason);
    expect(addressRefusal(address, { allowLoopback: true, allowPrivate: true })).toMatch(reason);
  });

  test.each(metadataSpellings)('%s is refused by the default policy', (address, reason) => {
    expect(addressRefusal(address, strict)).toMatch(reason);
  });

  test.each([
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[64:ff9b:1::a9fe:a9fe]/',
    'http://[2002:a9fe:a9fe::]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'http://100.100.100.200/latest/meta-data/',
  ])('the URL %s is refused at subscription where private targets are allowed', async (url) => {
    await expect(checkWebhookUrl(url, privateAllowed)).rejects.toThrow(/link-local|cloud metadata/);
  });

  test.each([
    '64:ff9b::7f00:1',
    '64:ff9b:1::7f00:1',
    '2002:7f00:1::',
    '::ffff:0:7f00:1',
    '2001:0:7f00:1::f7f7:f7f7',
  ])(
    'the embedded loopback address %s is loopback: refused unless loopback targets are allowed',
    (address) => {
      expect(addressRefusal(address, strict)).toMatch(/loopback/);
      expect(addressRefusal(address, privateAllowed)).toMatch(/loopback/);
      expect(addressRefusal(address, { allowLoopback: true, allowPrivate: false })).toBeUndefined();
    },
  );

  test.each(['64:ff9b::a00:1', '2002:c0a8:101::', '::ffff:0:ac10:1', '2001:0:a00:1::f7f7:f7f7'])(
    'the embedded private address %s is private: refused unless private targets are allowed',
    (address) => {
      expect(addressRefusal(address, strict)).toMatch(/private/);
      expect(addressRefusal(address, { allowLoopback: true, allowPrivate: false })).toMatch(/private/);
      expect(addressRefusal(address, privateAllowed)).toBeUndefined();
    },
  );

  test.each(['64:ff9b::808:808', '64:ff9b:1::808:808', '2002:808:808::', '::ffff:0:808:808'])(
    'embedding the public 8.8.8.8, %s is judged as before: by its own range, allowed where private targets are',
    (address) => {
      expect(addressRefusal(address, strict)).toMatch(/rfc6052|6to4|rfc6145/);
      expect(addressRefusal(address, privateAllowed)).toBeUndefined();
    },
  );

  test.each(['2606:4700:4700::1111', '8.8.8.8', 'fd12:3456::1', '100.64.0.9'])(
    '%s is still allowed where private targets are',
    (address) => {
      expect(addressRefusal(address, privateAllowed)).toBeUndefined();
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
    'aws-metadata-v6.example.test': ['fd00:ec2::254'],
    'nat64-metadata.example.test': ['64:ff9b::a9fe:a9fe'],
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
    ['aws-metadata-v6.example.test', /cloud metadata/],
    ['nat64-metadata.example.test', /link-local/],
  ])(
    'where private targets are allowed, a name pointing at a metadata service (%s) is refused, in the same words as one that does not resolve',
    async (host, reason) => {
      const permissive: UrlPolicy = { allowLoopback: false, allowPrivate: true };
      const refused = await refusalOf(`https://${host}/hook`, permissive);
      const unresolved = await refusalOf('https://missing.example.test/hook', permissive);
      expect(refused).toBeInstanceOf(UrlRefused);
      expect(refused?.message).toBe(unresolved?.message);
      expect(refused?.detail).toMatch(reason);
    },
  );

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
