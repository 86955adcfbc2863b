import { isLoopback } from '../../../src/sandboxes/imanage/http/loopback';

describe('iManage sandbox: loopback guard of /_sandbox', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])(
    'when the peer is %s, then it is loopback',
    (a) => {
      expect(isLoopback(a)).toBe(true);
    },
  );

  it.each(['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', '', undefined])(
    'when the peer is %s, then it is not loopback',
    (a) => {
      expect(isLoopback(a)).toBe(false);
    },
  );
});
