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

  it('names a body that shares a phone or a page with a record of its government it does not name as an error', () => {
    const lac = bodies.find((b) => b.id === 'ca-library-archives');
    if (!lac) throw new Error('ca-library-archives missing');
    const day = new Date('2026-12-04T12:00:00-05:00');
    // The shipped body names the record: no error.
    expect(lac.records).toEqual(['lac-military-genealogy-records']);
    expect(checkCatalogue(kb, day, [lac]).errors).toEqual([]);
    const undeclared = { ...lac, records: undefined };
    expect(checkCatalogue(kb, day, [undeclared]).errors).toEqual([
      expect.stringMatching(
        /^body ca-library-archives: shares its phone 1-866-578-7777 and its page bac-lac\.gc\.ca\/eng\/services-public\/pages\/services-public\.aspx .*with record lac-military-genealogy-records, which it does not name in records$/,
      ),
    ]);
    // The same page alone (another line), written with "www." and a trailing slash or not.
    const samePage = { ...undeclared, phone: '1-800-555-0199' };
    expect(checkCatalogue(kb, day, [samePage]).errors).toEqual([
      expect.stringMatching(/^body ca-library-archives: shares its page bac-lac\.gc\.ca\/eng\//),
    ]);
    // The same phone alone, on another page.
    const samePhone = {
      ...undeclared,
      url: { en: 'https://example.ca/elsewhere', fr: 'https://example.ca/ailleurs' },
    };
    expect(checkCatalogue(kb, day, [samePhone]).errors).toEqual([
      'body ca-library-archives: shares its phone 1-866-578-7777 with record lac-military-genealogy-records, which it does not name in records',
    ]);
    // A body of the other government is not compared with the record.
    const provincial = { ...samePhone, id: 'on-lac-copy', jurisdiction: 'provincial' as const };
    expect(checkCatalogue(kb, day, [provincial]).errors).toEqual([]);
  });

  it('warns when a body gives another number than the record it names', () => {
    const irb = bodies.find((b) => b.id === 'ca-irb-appeals');
    if (!irb) throw new Error('ca-irb-appeals missing');
    const r = checkCatalogue(kb, new Date('2026-12-04T12:00:00-05:00'), [
      { ...irb, phone: '1-800-555-0199' },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContainEqual(
      expect.stringMatching(
        /^body ca-irb-appeals: its phone 1-800-555-0199 is not a line of immigration-appeal-division/,
      ),
    );
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
