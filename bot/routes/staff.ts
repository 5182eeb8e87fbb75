import type { Server } from 'restify';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { requireStaff } from '../auth/require-staff';
import { ROLES, TokenStore } from '../auth/token-store';
import { route } from '../http';

/** GET /api/me: who a staff token belongs to (pages use it to sign staff in). */
export function registerStaffRoutes(server: Server, deps: { i18n: I18n; logger: Logger; tokens: TokenStore }): void {
  server.get(
    '/api/me',
    route(deps, (req, res) => {
      const who = requireStaff(deps.tokens, req, ROLES);
      res.send(200, { role: who.role, org: who.org, label: who.label });
    }),
  );
}
