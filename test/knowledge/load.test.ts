import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  KNOWLEDGE_DIR,
  KnowledgeLoadError,
  knowledgeVersion,
  loadKnowledge,
} from '../../knowledge/load';
import { LANGUAGES, OUT_OF_SCOPE_INTENT } from '../../knowledge/schema';
import { sharedDir } from '../helpers/shared';

/** Catalogue ids from the shared contract, read from its tables. */
function catalogue(): Map<string, string> {
  const text = fs.readFileSync(path.join(sharedDir(), 'kb-catalogue.md'), 'utf8');
  const ids = new Map<string, string>();
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).toLowerCase();
    const m = /^\| ([a-z0-9-]+) \|/.exec(line);
    if (m && m[1] !== 'id') {
      ids.set(
        m[1],
        section.startsWith('federal')
          ? 'federal'
          : section.startsWith('provincial')
            ? 'provincial'
            : section.startsWith('municipal')
              ? 'municipal'
              : 'shared',
      );
    }
  }
  return ids;
}

/** A scratch copy of the shipped knowledge folder, changed by `edit`. */
function mutated(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
  fs.cpSync(KNOWLEDGE_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  edit(dir);
  return dir;
}

function editRecord(dir: string, file: string, id: string, change: (r: any) => void): void {
  const p = path.join(dir, 'data', file);
  const data = JSON.parse(fs.readFileSync(p, 'utf8'));
  change(data.records.find((r: any) => r.id === id));
  fs.writeFileSync(p, JSON.stringify(data));
}

function loadError(dir: string): KnowledgeLoadError {
  try {
    loadKnowledge(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeLoadError);
    return err as KnowledgeLoadError;
  }
  throw new Error('the load succeeded');
}

/** Registering for school is done with each school board; no province-wide page explains it (checked 2026-12-04). */
const NO_PROVINCE_WIDE_PAGE = new Set(['school-registration']);

describe('the shipped knowledge base', () => {
  const kb = loadKnowledge();

  it('holds every catalogue record with the catalogue jurisdiction', () => {
    for (const [id, jurisdiction] of catalogue()) {
      expect(kb.byId.get(id)?.jurisdiction).toBe(jurisdiction);
    }
    expect(catalogue().size).toBeGreaterThanOrEqual(63);
  });

  it('has both languages in every record, with an official https link for each', () => {
    for (const r of kb.records) {
      for (const lang of LANGUAGES) {
        expect(r.name[lang].length).toBeGreaterThan(2);
        expect(r.answer[lang].length).toBeGreaterThan(30);
        expect(r.keywords[lang].length).toBeGreaterThan(2);
      }
      if (!NO_PROVINCE_WIDE_PAGE.has(r.id)) expect(r.links.length).toBeGreaterThan(0);
    }
  });

  it('knows the common abbreviations and informal words', () => {
    const words = (id: string) =>
      [...kb.byId.get(id)!.keywords.en, ...kb.byId.get(id)!.keywords.fr].join(' ').toLowerCase();
    expect(words('sin')).toMatch(/\bnas\b/);
    expect(words('health-card')).toMatch(/ohip/);
    expect(words('ei-regular')).toMatch(/pogey/);
    expect(words('ei-regular')).toMatch(/chômage/);
    expect(words('ontario-works')).toMatch(/welfare/);
    expect(words('cpp-retirement')).toMatch(/\brpc\b/);
  });

  it('lists bundle steps in order, each a known service', () => {
    const newborn = kb.byId.get('bundle-newborn');
    // EI first (apply when you stop working), the baby's health card, then the one newborn application.
    expect(newborn?.kind === 'bundle' && newborn.steps.map((s) => s.service)).toEqual([
      'ei-maternity-parental',
      'health-card',
      'birth-registration',
      'birth-certificate',
      'sin',
      'ccb',
    ]);
  });

  it('has a corpus with the same intents in French and English, out of scope included', () => {
    expect([...kb.corpus.en.keys()].sort()).toEqual([...kb.corpus.fr.keys()].sort());
    expect(kb.corpus.en.has(OUT_OF_SCOPE_INTENT)).toBe(true);
    for (const r of kb.records)
      expect(kb.corpus.en.get(r.id)?.length ?? 0).toBeGreaterThanOrEqual(20);
  });
});

describe('the knowledge version', () => {
  it('is the same read from the files alone (what the cluster checks) as loaded, and follows every kind of file', () => {
    expect(knowledgeVersion()).toBe(loadKnowledge().version);
    const edits: Array<(dir: string) => void> = [
      (d) => editRecord(d, 'federal.json', 'sin', (r) => (r.keywords.en = [...r.keywords.en, 'x'])),
      (d) => {
        const p = path.join(d, 'corpus', 'fr', fs.readdirSync(path.join(d, 'corpus', 'fr'))[0]);
        fs.writeFileSync(p, fs.readFileSync(p, 'utf8') + ' ');
      },
      (d) => {
        const p = path.join(d, 'contacts', fs.readdirSync(path.join(d, 'contacts'))[0]);
        fs.writeFileSync(p, fs.readFileSync(p, 'utf8') + ' ');
      },
    ];
    for (const edit of edits) {
      const dir = mutated(edit);
      expect(knowledgeVersion(dir)).toBe(loadKnowledge(dir).version);
      expect(knowledgeVersion(dir)).not.toBe(knowledgeVersion());
    }
  });
});

describe('a damaged knowledge base stops the load, naming file, record and field', () => {
  it('rejects a record missing a language', () => {
    const err = loadError(
      mutated((d) => editRecord(d, 'federal.json', 'sin', (r) => delete r.name.fr)),
    );
    expect(err.message).toMatch(/federal\.json/);
    expect(err.record).toBe('sin');
    expect(err.field).toBe('name.fr');
  });

  it('rejects a bad URL', () => {
    const err = loadError(
      mutated((d) =>
        editRecord(d, 'provincial.json', 'health-card', (r) => (r.links[0].url.en = 'not a url')),
      ),
    );
    expect(err.record).toBe('health-card');
    expect(err.field).toBe('links.0.url.en');
  });

  it('rejects a duplicate id', () => {
    const err = loadError(
      mutated((d) =>
        editRecord(d, 'municipal.json', 'pet-licence', (r) => (r.id = 'property-tax')),
      ),
    );
    expect(err.record).toBe('property-tax');
    expect(err.message).toMatch(/duplicate id/);
  });

  it('rejects a bundle naming an unknown service', () => {
    const err = loadError(
      mutated((d) =>
        editRecord(
          d,
          'bundles.json',
          'bundle-death',
          (r) => (r.steps[1].service = 'no-such-service'),
        ),
      ),
    );
    expect(err.record).toBe('bundle-death');
    expect(err.field).toBe('steps.1.service');
  });

  it('rejects a file that is not JSON', () => {
    const err = loadError(
      mutated((d) =>
        fs.writeFileSync(path.join(d, 'data', 'federal.json'), '{ "records": [ { "id": '),
      ),
    );
    expect(err.file).toMatch(/federal\.json$/);
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('rejects a corpus intent missing in one language', () => {
    const err = loadError(
      mutated((d) => {
        for (const f of fs.readdirSync(path.join(d, 'corpus', 'fr'))) {
          const p = path.join(d, 'corpus', 'fr', f);
          const data = JSON.parse(fs.readFileSync(p, 'utf8'));
          delete data['pet-licence'];
          fs.writeFileSync(p, JSON.stringify(data));
        }
      }),
    );
    expect(err.record).toBe('pet-licence');
    expect(err.message).toMatch(/no fr utterances/);
  });

  it('rejects a missing data folder', () => {
    const err = loadError(mutated((d) => fs.rmSync(path.join(d, 'data'), { recursive: true })));
    expect(err.message).toMatch(/folder is missing/);
  });
});

describe('phone lines and contradictions stop the load too', () => {
  function editLine(dir: string, id: string, change: (l: any) => void): void {
    const p = path.join(dir, 'contacts', 'federal-general.json');
    const data = JSON.parse(fs.readFileSync(p, 'utf8'));
    change(data.lines.find((l: any) => l.id === id));
    fs.writeFileSync(p, JSON.stringify(data));
  }

  it('rejects a badly written phone number, naming the line and the field', () => {
    const err = loadError(mutated((d) => editLine(d, 'ei', (l) => (l.phone = '1 800 206 7218'))));
    expect(err.file).toMatch(/federal-general\.json$/);
    expect(err.record).toBe('ei');
    expect(err.field).toBe('phone');
  });

  it('rejects a record naming an unknown phone line', () => {
    const err = loadError(
      mutated((d) => editRecord(d, 'federal.json', 'sin', (r) => (r.contacts = ['no-such-line']))),
    );
    expect(err.record).toBe('sin');
    expect(err.field).toBe('contacts.0');
  });

  it('rejects a federal or provincial service without a phone line', () => {
    const err = loadError(
      mutated((d) => editRecord(d, 'provincial.json', 'health-card', (r) => (r.contacts = []))),
    );
    expect(err.record).toBe('health-card');
    expect(err.field).toBe('contacts');
  });

  it('rejects a fact without the date it was checked', () => {
    const err = loadError(
      mutated((d) => editRecord(d, 'federal.json', 'oas', (r) => (r.checked = 'last year'))),
    );
    expect(err.record).toBe('oas');
    expect(err.field).toBe('checked');
  });

  it('rejects the same question taught as two different records', () => {
    const err = loadError(
      mutated((d) => {
        const p = path.join(d, 'corpus', 'en', 'municipal.json');
        const data = JSON.parse(fs.readFileSync(p, 'utf8'));
        data['pet-licence'].push(data['property-tax'][0]);
        fs.writeFileSync(p, JSON.stringify(data));
      }),
    );
    expect(err.file).toMatch(/municipal\.json$/);
    expect(err.message).toMatch(/is also an example of "property-tax"/);
  });
});
