import { loadBodies } from '../../knowledge/agencies/load';
import { checkCatalogue } from '../../knowledge/check-cli';
import { loadKnowledge } from '../../knowledge/load';

describe('the catalogue (npm run kb:check)', () => {
  const kb = loadKnowledge();
  const bodies = loadBodies().bodies;
  const report = checkCatalogue(kb, new Date('2026-12-04T12:00:00-05:00'), bodies);

  it('holds at least 200 curated services across the three governments', () => {
    const { federal, provincial, municipal } = report.services;
    expect(federal + provincial + municipal).toBeGreaterThanOrEqual(200);
    expect(Math.min(federal, provincial, municipal)).toBeGreaterThanOrEqual(25);
  });

  it('has no two records with one name and no error', () => {
    expect(report.errors).toEqual([]);
  });

  it('gives every federal and provincial service a phone line; only municipal services answer with the municipality', () => {
    for (const id of report.withoutPhone)
      expect(kb.byId.get(id)?.jurisdiction).toMatch(/municipal|shared/);
  });

  it('lists records checked too long ago and thin corpora as warnings, not silently', () => {
    const old = checkCatalogue(kb, new Date('2029-01-01T00:00:00Z'));
    expect(old.warnings.some((w) => /facts last checked/.test(w))).toBe(true);
  });

  it('teaches every record with at least 15 questions in each language', () => {
    const thin = report.warnings.filter((w) => /example questions/.test(w));
    expect(thin).toEqual([]);
  });

  it('holds a directory of government bodies none of the records already is', () => {
    expect(report.bodies).toBeGreaterThanOrEqual(100);
    expect(report.errors.filter((e) => e.startsWith('body '))).toEqual([]);
    // Bodies without a confirmed line are listed, not hidden (answers give their website only).
    expect(report.bodiesWithoutPhone).toEqual(bodies.filter((b) => !b.phone).map((b) => b.id));
    expect(report.bodiesWithoutPhone.length).toBeLessThan(bodies.length / 2);
  });

  it('names a body that repeats a record as an error', () => {
    const record = kb.records[0];
    const copy = { ...bodies[0], name: { ...record.name } };
    const r = checkCatalogue(kb, new Date('2026-12-04T12:00:00-05:00'), [copy]);
    expect(r.errors).toEqual([
      `body ${copy.id}: its en name is also the name of ${record.id}`,
      `body ${copy.id}: its fr name is also the name of ${record.id}`,
    ]);
  });
});
