import { appendInputSchema, type AuditAppendInput } from '../../src/audit';
import { entry } from './fixtures';

const accepted = (input: AuditAppendInput) => appendInputSchema.safeParse(input).success;

describe('audit records carry no secrets', () => {
  it('when refs are named for a secret (password, token, MFA code, cookie), then the record is refused', () => {
    for (const key of [
      'password',
      'mfaCode',
      'mfa_code',
      'otp',
      'accessToken',
      'csrfToken',
      'cookie',
      'secret',
    ])
      expect([key, accepted(entry('t', 'k', { refs: { [key]: 'x1' } }))]).toEqual([key, false]);
    expect(accepted(entry('t', 'k', { refs: { role: 'billing', name: 'Jo Smith' } }))).toBe(true);
  });

  it('when a session record names a code or any text carries a bearer token or JWT, then it is refused', () => {
    const session = (over: Partial<AuditAppendInput>) =>
      entry('t', 'k', { action: 'session.mfa_supplied', target: { kind: 'clio_session', ids: {} }, ...over });
    expect(accepted(session({ rationale: 'code 482913 supplied by Jo' }))).toBe(false);
    expect(accepted(session({ refs: { channel: 'sms', last: '4829' } }))).toBe(false);
    expect(accepted(session({ rationale: 'code supplied by Jo', refs: { channel: 'sms' } }))).toBe(true);
    expect(
      accepted(
        entry('t', 'k', { rationale: 'Clio said 401 for Authorization: Bearer 3f9a1c7e5b2d4f6a8c0e' }),
      ),
    ).toBe(false);
    expect(
      accepted(entry('t', 'k', { refs: { note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig' } })),
    ).toBe(false);
    expect(accepted(entry('t', 'k', { rationale: 'Clio refused: bearer credentials expired' }))).toBe(true);
    // Client data stays fine outside session records: a time entry's rationale names amounts and matter numbers.
    expect(accepted(entry('t', 'k', { rationale: 'Clio refused entry 482913: matter 00001 closed' }))).toBe(
      true,
    );
  });
});
