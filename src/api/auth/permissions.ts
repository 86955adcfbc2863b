import { type Role } from './principal';

/**
 * The permission matrix: which roles may do what. The middleware enforces exactly this table and the README's
 * table is generated from it, so the two cannot drift.
 */
export const PERMISSIONS = {
  'time_entries.create': { roles: ['attorney', 'paralegal', 'admin'], route: 'POST /v1/time-entries' },
  'workflows.read': { roles: ['attorney', 'paralegal', 'billing', 'admin'], route: 'GET /v1/workflows/:workflowId' },
} as const satisfies Record<string, { roles: readonly Role[]; route: string }>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesFor(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission].roles;
}
