import { addressRefusal, checkWebhookUrl, type UrlPolicy } from '../../src/webhooks/url-policy';

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
