import { parseArgs } from 'node:util';
import { bootstrap } from './bootstrap';
import { ORGANIZATIONS, Organization, Role, ROLES, TokenStore } from './auth/token-store';

/** Tokens expire unless renewed; staff ask an administrator for a new one. */
const DEFAULT_DAYS = 90;

const USAGE = `Usage:
  npm run --silent token -- --role ROLE --org ORG [--days N (default 90)] [--label TEXT]   prints a new bearer token
  npm run --silent token -- --revoke TOKEN_OR_ID                               revokes a token
Roles: ${ROLES.join(', ')}. Organizations: ${ORGANIZATIONS.join(', ')}.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** `npm run token`: issues (prints only the token on stdout) or revokes staff tokens. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        org: { type: 'string' },
        days: { type: 'string' },
        label: { type: 'string' },
        revoke: { type: 'string' },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  let foundation;
  try {
    foundation = await bootstrap();
  } catch (err) {
    // A bad DATABASE_URL, an unreachable database or a newer schema: say so, without a stack.
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  try {
    await run(values, new TokenStore(foundation.database));
  } finally {
    await foundation.close();
  }
}

async function run(values: Partial<Record<string, string>>, store: TokenStore): Promise<void> {
  if (values.revoke) {
    if (!(await store.revoke(values.revoke))) fail('No active token matches.');
    process.stderr.write('Token revoked.\n');
    return;
  }
  if (!values.role || !(ROLES as readonly string[]).includes(values.role))
    fail(`--role must be one of ${ROLES.join(', ')}.`);
  if (!values.org || !(ORGANIZATIONS as readonly string[]).includes(values.org))
    fail(`--org must be one of ${ORGANIZATIONS.join(', ')}.`);
  const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days > 0 && days <= 3650))
    fail('--days must be a whole number from 1 to 3650.');
  const { token } = await store.issue({
    role: values.role as Role,
    org: values.org as Organization,
    days,
    label: values.label,
  });
  process.stdout.write(`${token}\n`);
}

if (require.main === module) void main();
