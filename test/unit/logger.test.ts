import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, destination };
}

describe('logger redaction', () => {
  test('when a log object carries credentials, then their values never reach the output', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', destination, secrets: ['configured-client-secret'] });
    logger.info(
      {
        headers: { authorization: 'Bearer abc.def.ghi', cookie: 'session=xyz' },
        password: 'hunter22',
        mfaCode: '123456',
        nested: { refresh_token: 'r-123456', access_token: 'a-123456' },
        req: { headers: { authorization: 'Bearer qqq' } },
      },
      'calling Clio with Bearer tok-in-text and configured-client-secret and _clio_session=cookieval',
    );
    const out = lines.join('');
    for (const secret of [
      'abc.def.ghi',
      'xyz',
      'hunter22',
      '123456',
      'r-123456',
      'a-123456',
      'qqq',
      'tok-in-text',
      'configured-client-secret',
      'cookieval',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('calling Clio with');
  });
});
