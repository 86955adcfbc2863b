import { CUSTOMER_ID, LIBRARY } from '../config';
import { currentUser } from '../http/auth';
import { type RouteKit } from '../http/route-kit';

/** `GET /api`: who is signed in and where to work; integrators read customer_id and preferred_library. */
export function registerDiscoveryRoute(kit: RouteKit): void {
  kit.authed('get', '/api', (_req, res) => {
    const user = currentUser(res);
    res.json({
      data: {
        auth_status: 'authenticated',
        dms_version: '10.4.0',
        user: {
          customer_id: Number(CUSTOMER_ID),
          id: user.id,
          name: user.name,
          email: user.email,
          ssid: user.ssid,
          user_type: user.role === 'admin' ? 'system_admin' : 'regular',
        },
        work: {
          preferred_library: LIBRARY,
          libraries: [{ alias: LIBRARY, type: 'worksite', is_hidden: false }],
        },
        versions: [{ name: 'v2', url: '/work/api/v2', version: '2.1.0' }],
      },
    });
  });
}
