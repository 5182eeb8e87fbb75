import fs from 'node:fs';
import path from 'node:path';
import i18next, { i18n as I18nInstance } from 'i18next';
import { Language, LANGUAGES } from './vocabulary';
import { PROJECT_ROOT } from './paths';

export type Translate = (lang: Language, key: string, params?: Record<string, unknown>) => string;

export interface I18n {
  t: Translate;
  /** Namespaces loaded (one per JSON file in locales/en). */
  namespaces: string[];
}

/**
 * Loads every locales/{en,fr}/NAMESPACE.json into one i18next instance. Keys are written
 * `namespace:path.to.key`. Every sentence a person reads comes from here.
 */
export function createI18n(dir: string = path.join(PROJECT_ROOT, 'locales')): I18n {
  const resources: Record<string, Record<string, unknown>> = {};
  const namespaces = fs
    .readdirSync(path.join(dir, 'en'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
  for (const lang of LANGUAGES) {
    resources[lang] = {};
    for (const ns of namespaces) {
      const file = path.join(dir, lang, `${ns}.json`);
      try {
        resources[lang][ns] = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        throw new Error(`Cannot load locale file ${file}: ${(err as Error).message}`);
      }
    }
  }
  const instance: I18nInstance = i18next.createInstance();
  void instance.init({
    resources: resources as never,
    lng: 'en',
    fallbackLng: false,
    ns: namespaces,
    defaultNS: namespaces[0],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = Object.fromEntries(LANGUAGES.map((l) => [l, instance.getFixedT(l)])) as Record<
    Language,
    (k: string, o?: object) => string
  >;
  return { t: (lang, key, params) => fixed[lang](key, params), namespaces };
}
