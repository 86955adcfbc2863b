import { transportAnswer } from '../../src/integrations/clio/transport';
import { isDisguisedRateLimit } from '../../src/integrations/clio/errors';

const headers = { get: () => null };

describe("a Clio answer's body", () => {
  test('when it starts with a byte order mark, then the text leaves it out and JSON parses', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"data":{"name":"Zoë"}}')]);
    const answer = transportAnswer(200, headers, bytes);
    expect(JSON.parse(answer.text)).toEqual({ data: { name: 'Zoë' } });
    expect(answer.bytes).toBe(bytes);
  });

  test('when a small 200 hides a rate limit in base64, then it is recognized; a large body is not decoded for it', () => {
    const hidden = Buffer.from(JSON.stringify({ data: Buffer.from('RateLimited').toString('base64') }));
    expect(isDisguisedRateLimit(transportAnswer(200, headers, hidden))).toBe(true);
    const large = { bytes: Buffer.alloc(4096, 0x20), text: '' };
    Object.defineProperty(large, 'text', {
      get: () => {
        throw new Error('decoded');
      },
    });
    expect(isDisguisedRateLimit(large)).toBe(false);
  });
});
