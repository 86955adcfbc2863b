import { generate } from 'otplib';

/** The current TOTP code (RFC 6238, 30 s, 6 digits) for a base32 secret, as an authenticator app shows it. */
export async function totpCode(secret: string): Promise<string> {
  return generate({ secret });
}
