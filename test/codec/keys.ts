import { randomBytes } from 'node:crypto';

/** Test-only random keys; nothing here is a real secret. */
export const keyB64 = (): string => randomBytes(32).toString('base64');
