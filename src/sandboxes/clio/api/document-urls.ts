import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** put_url lifetime: the schema says 10 minutes (the example URL says 8 h); the stricter one is used. */
export const UPLOAD_TTL_MS = 10 * 60_000;

export interface UploadSigner {
  secret: Buffer;
}

export const createUploadSigner = (): UploadSigner => ({ secret: randomBytes(32) });

const sign = (signer: UploadSigner, kind: string, uuid: string, expires: number): string =>
  createHmac('sha256', signer.secret).update(`${kind}:${uuid}:${expires}`).digest('hex');

const origin = (req: Request): string => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;

/** An S3-like pre-signed URL on the sandbox itself, with the headers the PUT must carry. */
export function signUploadUrl(
  req: Request,
  signer: UploadSigner,
  uuid: string,
  contentType: string,
): { url: string; headers: { name: string; value: string }[] } {
  const expires = Date.now() + UPLOAD_TTL_MS;
  return {
    url: `${origin(req)}/_uploads/${uuid}?X-Amz-Expires=${UPLOAD_TTL_MS / 1000}&expires=${expires}&signature=${sign(signer, 'put', uuid, expires)}`,
    headers: [
      { name: 'Content-Type', value: contentType },
      { name: 'x-amz-server-side-encryption', value: 'AES256' },
    ],
  };
}

export function signDownloadUrl(req: Request, signer: UploadSigner, uuid: string): string {
  const expires = Date.now() + UPLOAD_TTL_MS;
  return `${origin(req)}/_downloads/${uuid}?expires=${expires}&signature=${sign(signer, 'get', uuid, expires)}`;
}

export function verifySignature(
  signer: UploadSigner,
  kind: 'put' | 'get',
  uuid: string,
  expires: unknown,
  signature: unknown,
): boolean {
  const exp = Number(expires);
  if (!Number.isFinite(exp) || exp < Date.now() || typeof signature !== 'string') return false;
  const expected = Buffer.from(sign(signer, kind, uuid, exp));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
