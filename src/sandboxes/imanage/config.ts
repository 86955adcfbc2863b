/** Fixed sandbox identities (see ../shared/contract.md, "Sandbox credentials"). */
export const CUSTOMER_ID = '1';
export const LIBRARY = 'ACTIVE';
export const OAUTH_CLIENT_ID = 'sandbox-client';
/** iManage often registers public (Native) clients without a secret, so the secret is optional. */
export const OAUTH_CLIENT_SECRET = 'sandbox-secret';
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:4020';
export const DEFAULT_TOKEN_TTL_SECONDS = 1800;
/** Refresh tokens outlive access tokens by far, as integrators are told to configure them. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export type Role = 'admin' | 'viewer';

export interface SandboxUser {
  username: string;
  password: string;
  id: string;
  name: string;
  email: string;
  role: Role;
  ssid: number;
}

/** `viewer` exists so clients can be tested against 403 answers; it may read but never write. */
export const USERS: readonly SandboxUser[] = [
  {
    username: 'admin',
    password: 'sandbox-password',
    id: 'ADMIN',
    name: 'Sandbox Administrator',
    email: 'admin@sandbox.test',
    role: 'admin',
    ssid: 1001,
  },
  {
    username: 'viewer',
    password: 'sandbox-password',
    id: 'VIEWER',
    name: 'Sandbox Viewer',
    email: 'viewer@sandbox.test',
    role: 'viewer',
    ssid: 1002,
  },
];

export function findUserById(id: string): SandboxUser | undefined {
  return USERS.find((u) => u.id === id);
}

export const STANDARD_FOLDERS = ['Correspondence', 'Pleadings', 'Documents', 'Emails', 'Research'] as const;
export const SEED_MATTERS = 1000;
export const SEED_DOCUMENTS = 5000;
/** Containers (workspaces, folders) and documents draw numbers from separate sequences. */
export const FIRST_CONTAINER_NUMBER = 1;
export const CONTAINER_SEQUENCE = 'container';
export const DOCUMENT_SEQUENCE = 'document';
export const FIRST_DOCUMENT_NUMBER = 10001;
