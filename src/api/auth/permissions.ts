import { type Role } from './principal';

const ALL: readonly Role[] = ['attorney', 'paralegal', 'billing', 'admin'];

/**
 * The permission matrix: which roles may call which route. The middleware enforces exactly this table, the
 * README's table is generated from it, and a test calls every route with every role. Routes join the table as
 * they are built.
 */
export const PERMISSIONS = {
  'time_entries.create': { route: 'POST /v1/time-entries', roles: ['attorney', 'paralegal', 'admin'] },
  'workflows.read': { route: 'GET /v1/workflows/:workflowId', roles: ALL },
  'matters.list': { route: 'GET /v1/matters', roles: ALL },
  'matters.read': { route: 'GET /v1/matters/:id', roles: ALL },
  'contacts.list': { route: 'GET /v1/contacts', roles: ALL },
  'contacts.read': { route: 'GET /v1/contacts/:id', roles: ALL },
  'time_entries.list': { route: 'GET /v1/time-entries', roles: ALL },
  'bills.list': { route: 'GET /v1/bills', roles: ALL },
  'bills.read': { route: 'GET /v1/bills/:id', roles: ALL },
  'bills.pdf': { route: 'GET /v1/bills/:id/pdf', roles: ALL },
  'session.read': { route: 'GET /v1/tenants/:tenant/session', roles: ALL },
  'session.mfa': { route: 'POST /v1/tenants/:tenant/session/mfa', roles: ['attorney', 'paralegal', 'admin'] },
  'session.retry': {
    route: 'POST /v1/tenants/:tenant/session/retry',
    roles: ['attorney', 'paralegal', 'admin'],
  },
  'clio.connect': { route: 'GET /v1/tenants/:tenant/oauth/start', roles: ['admin'] },
  'clio.disconnect': { route: 'DELETE /v1/tenants/:tenant/oauth', roles: ['admin'] },
  'audit.read': { route: 'GET /v1/audit', roles: ['billing', 'admin'] },
  'webhooks.manage': { route: 'POST /v1/webhooks', roles: ['admin'] },
  'webhooks.list': { route: 'GET /v1/webhooks', roles: ['admin'] },
  'webhooks.deliveries': { route: 'GET /v1/webhooks/:id/deliveries', roles: ['admin'] },
  'webhooks.delete': { route: 'DELETE /v1/webhooks/:id', roles: ['admin'] },
} as const satisfies Record<string, { route: string; roles: readonly Role[] }>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesFor(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission].roles;
}

/** The matrix as a markdown table (README). */
export function permissionTable(): string {
  const roles: Role[] = ['attorney', 'paralegal', 'billing', 'admin'];
  const rows = Object.values(PERMISSIONS as Record<string, { route: string; roles: readonly Role[] }>).map(
    ({ route, roles: allowed }) =>
      `| \`${route}\` | ${roles.map((r) => (allowed.includes(r) ? 'yes' : '—')).join(' | ')} |`,
  );
  return [`| route | ${roles.join(' | ')} |`, `|---|${roles.map(() => '---').join('|')}|`, ...rows].join(
    '\n',
  );
}
