import type { Request } from 'restify';
import { AppError } from '../../lib/errors';
import type { StaffVerifier } from './authenticator';
import { Role, StaffIdentity } from './token-store';

/**
 * The one auth check for staff endpoints: a valid bearer token (401 otherwise: the project's own
 * token or, when configured, an OpenID Connect access token) whose role is one of `roles` (403
 * otherwise). `admin` may do what any role may.
 */
export async function requireStaff(
  verifier: StaffVerifier,
  req: Request,
  roles: readonly Role[],
): Promise<StaffIdentity> {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new AppError(401, 'unauthorized', 'unauthorized');
  const identity = await verifier.verify(match[1]);
  if (identity === null) throw new AppError(401, 'unauthorized', 'unauthorized');
  if (identity === 'expired') throw new AppError(401, 'token_expired', 'tokenExpired');
  if (identity.role !== 'admin' && !roles.includes(identity.role)) {
    throw new AppError(403, 'forbidden', 'forbidden', {
      role: identity.role,
      required: roles.join(', '),
    });
  }
  return identity;
}
