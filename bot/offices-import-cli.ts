import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../lib/errors';
import { createLogger } from '../lib/logger';
import { parseCsvTable } from '../lib/csv';
import type { OfficeFinder } from '../knowledge/offices/index';
import type { KnowledgeRepository } from '../knowledge/repository';
import { bootstrap } from './bootstrap';
import { TokenStore } from './auth/token-store';
import { ORGANIZATIONS, Organization } from './auth/token-store';
import { parseClosure, parseVisit } from './routes/offices-outreach';

const USAGE = `Usage:
  npm run --silent offices:import -- --visits FILE.csv [--org ORG]     scheduled outreach visits
  npm run --silent offices:import -- --closures FILE.csv [--org ORG]   emergency closures
visits columns: site,date,start,end,services,note_en,note_fr (services: catalogue ids separated by ";", empty for the default)
closures columns: office,area_near,area_radius_km,from,until,reason_en,reason_fr (office, or area_near with area_radius_km)
ORG (${ORGANIZATIONS.join(', ')}) is who runs the visits; without it each visit belongs to its site's organization.
Every row is checked first; nothing is imported unless every row is valid.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const VISIT_COLUMNS = ['site', 'date', 'start', 'end', 'services', 'note_en', 'note_fr'];
const CLOSURE_COLUMNS = [
  'office',
  'area_near',
  'area_radius_km',
  'from',
  'until',
  'reason_en',
  'reason_fr',
];

function visitBody(v: Record<string, string>): Record<string, unknown> {
  const services = v.services ? v.services.split(/[;\s]+/).filter(Boolean) : undefined;
  const note = v.note_en || v.note_fr ? { en: v.note_en, fr: v.note_fr } : undefined;
  return {
    site: v.site,
    date: v.date,
    start: v.start,
    end: v.end,
    ...(services ? { services } : {}),
    ...(note ? { note } : {}),
  };
}

function closureBody(v: Record<string, string>): Record<string, unknown> {
  const area = v.area_near ? { near: v.area_near, radiusKm: Number(v.area_radius_km) } : undefined;
  return {
    ...(v.office ? { office: v.office } : {}),
    ...(area ? { area } : {}),
    reason: { en: v.reason_en, fr: v.reason_fr },
    ...(v.from ? { from: v.from } : {}),
    ...(v.until ? { until: v.until } : {}),
  };
}

/** `npm run offices:import`: validates every row of a CSV file, then imports them all in one transaction. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        visits: { type: 'string' },
        closures: { type: 'string' },
        org: { type: 'string' },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  const file = values.visits ?? values.closures;
  if (!file || (values.visits && values.closures))
    fail('Give one of --visits FILE or --closures FILE.');
  if (values.org && !(ORGANIZATIONS as readonly string[]).includes(values.org))
    fail(`--org must be one of ${ORGANIZATIONS.join(', ')}.`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    fail(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const { header, rows } = parseCsvTable(text);
  const columns = values.visits ? VISIT_COLUMNS : CLOSURE_COLUMNS;
  const unknown = header.filter((h) => !columns.includes(h));
  if (unknown.length) fail(`Unknown column(s): ${unknown.join(', ')}.`);
  const foundation = await bootstrap({ logger: createLogger('silent'), knowledge: 'records' });
  const { config, database, i18n } = foundation;
  const repo = foundation.repo as KnowledgeRepository;
  const finder = foundation.offices as OfficeFinder;
  const deps = {
    i18n,
    logger: createLogger('silent'),
    repo,
    tokens: new TokenStore(database),
    finder,
    freshMinutes: config.WAIT_FRESH_MINUTES,
    clock: () => new Date(),
  };
  const now = new Date();
  const problems: string[] = [];
  const parsed = rows.map(({ line, values: row }) => {
    try {
      if (values.visits) {
        const org = (values.org ??
          finder.registry.get(row.site)?.record.organization ??
          'service-canada') as Organization;
        return parseVisit(
          deps,
          'en',
          visitBody(row),
          { role: values.org ? 'office' : 'admin', org },
          now,
        );
      }
      return parseClosure(
        deps,
        'en',
        closureBody(row),
        { role: 'admin', org: 'service-canada' },
        now,
      );
    } catch (err) {
      const message =
        err instanceof AppError
          ? i18n.t('en', `errors:${err.messageKey}`, err.params)
          : (err as Error).message;
      problems.push(`line ${line}: ${message}`);
      return null;
    }
  });
  if (rows.length === 0) fail(`${file} has no rows.`);
  if (problems.length) {
    process.stderr.write(
      `Nothing imported: ${problems.length} of ${rows.length} rows are invalid.\n${problems.join('\n')}\n`,
    );
    process.exit(2);
  }
  try {
    const n = values.visits
      ? (await finder.outreach.addVisits(parsed as never[], now)).length
      : (await finder.outreach.addClosures(parsed as never[], now)).length;
    process.stdout.write(`Imported ${n} ${values.visits ? 'visits' : 'closures'}.\n`);
  } catch (err) {
    fail(`Nothing imported: ${(err as Error).message}`);
  } finally {
    await foundation.close();
  }
}

if (require.main === module) void main();
