import { requesterActor, sameRequester, type Requester } from '../../src/domain/requester';

describe('who asked: the person behind a key', () => {
  const joLaptop: Requester = { apiKeyId: 'k1', role: 'billing', userId: 'jo@firm.law' };
  const joPhone: Requester = { apiKeyId: 'k2', role: 'admin', userId: 'jo@firm.law' };
  const sam: Requester = { apiKeyId: 'k3', role: 'billing', userId: 'sam@firm.law' };
  const erp: Requester = { apiKeyId: 'k4', role: 'billing' };
  const dms: Requester = { apiKeyId: 'k5', role: 'billing' };

  test('when two keys name one person, then they are the same requester whatever their roles', () => {
    expect(sameRequester(joLaptop, joPhone)).toBe(true);
    expect(sameRequester(joPhone, joLaptop)).toBe(true);
  });

  test('when the keys name other people, or one names nobody, then they are different requesters', () => {
    expect(sameRequester(joLaptop, sam)).toBe(false);
    expect(sameRequester(joLaptop, erp)).toBe(false);
    expect(sameRequester(erp, joLaptop)).toBe(false);
    expect(sameRequester(erp, dms)).toBe(false);
  });

  test('when one key asks twice, then it is the same requester, with or without a person', () => {
    expect(sameRequester(erp, { ...erp })).toBe(true);
    expect(sameRequester(sam, { ...sam })).toBe(true);
  });

  test('when a key names its person, then the audit actor is that person with the key beside it; otherwise the key', () => {
    expect(requesterActor(joLaptop)).toEqual({
      type: 'user',
      id: 'jo@firm.law',
      role: 'billing',
      apiKeyId: 'k1',
    });
    expect(requesterActor(erp)).toEqual({ type: 'api_key', id: 'k4', role: 'billing', apiKeyId: 'k4' });
  });
});
