import { postalAreas } from '../geography/postal-areas';
import { loadKnowledge } from '../load';
import { checkOffices } from './check';
import { loadOfficeRegistryData } from './load';

/** `npm run offices:check`: where the offices and postal areas are placed, and what still needs a better point. */
function main(): void {
  const kb = loadKnowledge();
  const data = loadOfficeRegistryData(new Map(kb.byId));
  const r = checkOffices(data, postalAreas());
  const out: string[] = [`Offices: ${r.offices}`];
  for (const [org, counts] of Object.entries(r.byPlacement)) {
    out.push(
      `  ${org}: ${Object.entries(counts)
        .map(([p, n]) => `${p} ${n}`)
        .join(', ')}`,
    );
  }
  const sc = r.staffedServiceCanada;
  out.push(
    `Staffed Service Canada offices at their address or postal code: ${sc.exact} of ${sc.total}${sc.approximate.length ? ` (approximate: ${sc.approximate.join(', ')})` : ''}`,
  );
  out.push(
    `Offices without a street address: ${r.withoutStreet.length}${r.withoutStreet.length ? ` (${r.withoutStreet.join(', ')})` : ''}`,
  );
  out.push(
    `Points outside Ontario: ${r.outsideOntario.length}${r.outsideOntario.length ? ` (${r.outsideOntario.join(', ')})` : ''}`,
  );
  const shared = r.sharedPoints.reduce((n, g) => n + g.offices.length, 0);
  out.push(
    `Offices sharing an approximate point with others: ${shared} in ${r.sharedPoints.length} places (listed by wait, with their addresses)`,
  );
  for (const g of r.sharedPoints.slice(0, 10)) out.push(`  ${g.town}: ${g.offices.length}`);
  const urban = r.disagreeingAreas.filter((a) => !a.rural);
  out.push(
    `Postal areas whose sources disagree or were decided by review: ${r.disagreeingAreas.length} (${urban.length} urban)`,
  );
  for (const a of urban)
    out.push(`  ${a.fsa} ${a.name ?? ''}: ${a.basis}${a.note ? ` (${a.note})` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (r.outsideOntario.length || r.withoutStreet.length) process.exitCode = 1;
}

main();
