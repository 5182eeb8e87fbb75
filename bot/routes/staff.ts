import type { Server } from 'restify';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import type { StaffVerifier } from '../auth/authenticator';
import { requireStaff } from '../auth/require-staff';
import { ROLES } from '../auth/token-store';
import { route } from '../http';

/** GET /api/me: who a staff token belongs to (pages use it to sign staff in). */
export function registerStaffRoutes(
  server: Server,
  deps: { i18n: I18n; logger: Logger; tokens: StaffVerifier },
): void {
  server.get(
    '/api/me',
    route(deps, async (req, res) => {
      const who = await requireStaff(deps.tokens, req, ROLES);
      res.send(200, { role: who.role, org: who.org, label: who.label });
    }),
  );
}
