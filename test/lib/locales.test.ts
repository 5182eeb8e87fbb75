import fs from 'node:fs';
import path from 'node:path';
import { createI18n } from '../../lib/i18n';

const LOCALES = path.join(__dirname, '..', '..', 'locales');
const keys = (o: Record<string, unknown>, pre = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${pre}${k}.`) : [`${pre}${k}`],
  );

describe('locales', () => {
  it('has the same files and keys in English and French', () => {
    const files = fs.readdirSync(path.join(LOCALES, 'en')).sort();
    expect(fs.readdirSync(path.join(LOCALES, 'fr')).sort()).toEqual(files);
    for (const f of files) {
      const en = keys(JSON.parse(fs.readFileSync(path.join(LOCALES, 'en', f), 'utf8'))).sort();
      const fr = keys(JSON.parse(fs.readFileSync(path.join(LOCALES, 'fr', f), 'utf8'))).sort();
      expect({ file: f, keys: fr }).toEqual({ file: f, keys: en });
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const f of fs.readdirSync(path.join(LOCALES, 'en'))) {
      const en = JSON.parse(fs.readFileSync(path.join(LOCALES, 'en', f), 'utf8'));
      const fr = JSON.parse(fs.readFileSync(path.join(LOCALES, 'fr', f), 'utf8'));
      const get = (o: any, k: string) => k.split('.').reduce((x, p) => x?.[p], o);
      for (const k of keys(en)) {
        const vars = (s: string) => (String(s).match(/{{\s*\w+\s*}}/g) ?? []).sort();
        expect({ key: `${f}:${k}`, vars: vars(get(fr, k)) }).toEqual({
          key: `${f}:${k}`,
          vars: vars(get(en, k)),
        });
      }
    }
  });

  it('translates through i18next in both languages', () => {
    const i18n = createI18n();
    expect(i18n.t('en', 'errors:badLanguage', { lang: 'de' })).toBe(
      'Unknown language "de": use en or fr.',
    );
    expect(i18n.t('fr', 'errors:badLanguage', { lang: 'de' })).toMatch(/^Langue inconnue/);
  });
});
