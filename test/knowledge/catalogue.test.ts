import { checkCatalogue } from '../../knowledge/check-cli';
import { loadKnowledge } from '../../knowledge/load';

describe('the catalogue (npm run kb:check)', () => {
  const kb = loadKnowledge();
  const report = checkCatalogue(kb, new Date('2026-12-04T12:00:00-05:00'));

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
});
