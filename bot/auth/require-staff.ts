import type { Request } from 'restify';
import { AppError } from '../../lib/errors';
import { Role, StaffIdentity, TokenStore } from './token-store';

/**
 * The one auth check for staff endpoints: a valid bearer token (401 otherwise) whose role is one of
 * `roles` (403 otherwise). `admin` may do what any role may.
 */
export function requireStaff(tokens: TokenStore, req: Request, roles: readonly Role[]): StaffIdentity {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new AppError(401, 'unauthorized', 'unauthorized');
  const identity = tokens.verify(match[1]);
  if (identity === null) throw new AppError(401, 'unauthorized', 'unauthorized');
  if (identity === 'expired') throw new AppError(401, 'token_expired', 'tokenExpired');
  if (identity.role !== 'admin' && !roles.includes(identity.role)) {
    throw new AppError(403, 'forbidden', 'forbidden', { role: identity.role, required: roles.join(', ') });
  }
  return identity;
}
