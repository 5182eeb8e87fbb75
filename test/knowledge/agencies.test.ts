import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BodyDirectory } from '../../knowledge/agencies/directory';
import { bodyExamples } from '../../knowledge/answering';
import { loadBodies } from '../../knowledge/agencies/load';
import type { GovernmentBody } from '../../knowledge/agencies/schema';
import { KnowledgeLoadError, loadKnowledge } from '../../knowledge/load';

function body(
  id: string,
  jurisdiction: GovernmentBody['jurisdiction'],
  name: string,
  keywords: string[],
  motsCles: string[],
): GovernmentBody {
  return {
    id,
    jurisdiction,
    name: { en: name, fr: `${name} (fr)` },
    about: { en: `What ${name} does.`, fr: `Ce que fait ${name}.` },
    url: { en: `https://example.ca/${id}`, fr: `https://example.ca/fr/${id}` },
    phone: '1-800-555-0199',
    hours: null,
    keywords: { en: keywords, fr: motsCles },
    source: `https://example.ca/${id}`,
    checked: '2026-12-04',
  };
}

const sample = [
  body(
    'on-liquor',
    'provincial',
    'Liquor Commission',
    ['liquor licence', 'special occasion permit', 'raffle licence'],
    ["permis d'alcool", 'permis de circonstance', 'tirage'],
  ),
  body(
    'on-electrical',
    'provincial',
    'Electrical Safety Authority',
    ['electrical permit', 'electrician', 'wiring inspection'],
    ["permis d'électricité", 'électricien', 'inspection du câblage'],
  ),
  body(
    'ca-post',
    'federal',
    'Canada Post',
    ['lost parcel', 'mailbox key', 'mail forwarding'],
    ['colis perdu', 'clé de boîte postale', 'réacheminement du courrier'],
  ),
  body(
    'on-complaints',
    'provincial',
    'Complaints Office',
    ['complaint', 'licence complaint'],
    ['plainte', 'plainte de permis'],
  ),
  body('on-fishing', 'provincial', 'Fisheries Office', ['fishing licence'], ['permis de pêche']),
  body(
    'on-marriage',
    'provincial',
    'Marriage Office',
    ['marriage licence'],
    ['licence de mariage'],
  ),
];

describe('the directory of government bodies', () => {
  const dir = new BodyDirectory(sample);

  it('names the body whose own words a question uses, in either language', () => {
    expect(dir.match('special occasion permit for our wedding reception', 'en')[0].body.id).toBe(
      'on-liquor',
    );
    expect(dir.match('who does the inspection of my basement wiring', 'en')[0].body.id).toBe(
      'on-electrical',
    );
    expect(dir.match('mon colis perdu par la poste', 'fr')[0].body.id).toBe('ca-post');
  });

  it('names a body asked for by its full name, even when its words are common', () => {
    const ombudsmen = new BodyDirectory([
      body('on-ombudsman', 'provincial', 'Ontario Ombudsman', ['ombudsman'], ['ombudsman']),
      body('ca-post-ombudsman', 'federal', 'Canada Post Ombudsman', ['ombudsman'], ['ombudsman']),
      body('ca-tax-ombudsman', 'federal', "Taxpayers' Ombudsman", ['ombudsman'], ['ombudsman']),
      body('ca-vet-ombudsman', 'federal', 'Veterans Ombudsman', ['ombudsman'], ['ombudsman']),
      body(
        'on-patient',
        'provincial',
        'Patient Ombudsman of Ontario',
        ['ombudsman'],
        ['ombudsman'],
      ),
    ]);
    const [first] = ombudsmen.match('phone number of the Ontario ombudsman', 'en');
    expect(first).toMatchObject({ named: true });
    expect(first.body.id).toBe('on-ombudsman');
    // "ombudsman" alone names none of them: five bodies use the word.
    expect(ombudsmen.match('ombudsman', 'en')).toEqual([]);
  });

  it('keeps to the government asked for', () => {
    expect(dir.match('lost parcel', 'en', ['provincial'])).toEqual([]);
    expect(dir.match('lost parcel', 'en', ['federal'])[0].body.id).toBe('ca-post');
  });

  it('needs a word nearly only the body uses, and most of the question', () => {
    // "licence" is a word of four bodies: nothing distinctive.
    expect(dir.match('licence', 'en')).toEqual([]);
    // One distinctive word among many the body does not explain.
    expect(
      dir.match('my neighbour parks his truck on my lawn and his dog barks, electrician', 'en'),
    ).toEqual([]);
    expect(dir.match('what is the weather tomorrow', 'en')).toEqual([]);
  });

  it('leaves out everyday words it does not use', () => {
    const everyday = new Map([['en', new Set(['urgent', 'question', 'today'])]]);
    const withEveryday = new BodyDirectory(sample, Object.fromEntries(everyday));
    const plain = new BodyDirectory(sample);
    const q = 'urgent question today: mailbox key';
    expect(withEveryday.match(q, 'en')[0].coverage).toBeGreaterThan(
      plain.match(q, 'en')[0]?.coverage ?? 0,
    );
  });
});

describe('loading the directory', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bodies-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (file: string, bodies: unknown[]) =>
    fs.writeFileSync(
      path.join(tmp, file),
      JSON.stringify({ source: 'https://example.ca/list', bodies }),
    );

  it('loads valid files and hashes them', () => {
    write('a.json', sample.slice(0, 2));
    write('b.json', sample.slice(2));
    const loaded = loadBodies(tmp);
    expect(loaded.bodies.map((b) => b.id)).toEqual(sample.map((b) => b.id));
    expect(loaded.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('stops on a malformed body, naming the file, the body and the field', () => {
    write('a.json', [{ ...sample[0], url: { en: 'http://example.ca', fr: 'https://example.ca' } }]);
    expect(() => loadBodies(tmp)).toThrow(KnowledgeLoadError);
    expect(() => loadBodies(tmp)).toThrow(/a\.json.*on-liquor.*url\.en.*https/);
  });

  it('stops on an id used twice, across files too', () => {
    write('a.json', [sample[0]]);
    write('b.json', [sample[0]]);
    expect(() => loadBodies(tmp)).toThrow(/b\.json.*on-liquor.*also used in a\.json/);
  });

  it('stops on an id whose prefix contradicts the government', () => {
    write('a.json', [{ ...sample[2], jurisdiction: 'provincial' }]);
    expect(() => loadBodies(tmp)).toThrow(/ca-post.*id.*Ontario body is on-/);
  });

  it('stops on a record the knowledge base does not hold, naming the body and the field', () => {
    write('a.json', [{ ...sample[0], records: ['special-occasion-permit', 'no-such-record'] }]);
    const known = new Set(['special-occasion-permit']);
    expect(() => loadBodies(tmp, known)).toThrow(KnowledgeLoadError);
    expect(() => loadBodies(tmp, known)).toThrow(
      /a\.json.*on-liquor.*records\.1.*names unknown record "no-such-record"/,
    );
    write('a.json', [{ ...sample[0], records: ['special-occasion-permit'] }]);
    expect(loadBodies(tmp, known).bodies[0].records).toEqual(['special-occasion-permit']);
  });

  it('stops on a record named twice or an empty list of records', () => {
    write('a.json', [{ ...sample[0], records: ['lottery-licence', 'lottery-licence'] }]);
    expect(() => loadBodies(tmp)).toThrow(/on-liquor.*records.*names a record twice/);
    write('a.json', [{ ...sample[0], records: [] }]);
    expect(() => loadBodies(tmp)).toThrow(/on-liquor.*records.*at least one record/);
  });

  it('names only records of the shipped knowledge base', () => {
    const kb = loadKnowledge();
    const bodies = loadBodies(undefined, kb.byId).bodies;
    expect(bodies.find((b) => b.id === 'ca-irb-appeals')?.records).toContain(
      'immigration-appeal-division',
    );
  });

  it('stops on a phone number written another way', () => {
    write('a.json', [{ ...sample[0], phone: '(800) 555 0199' }]);
    expect(() => loadBodies(tmp)).toThrow(/on-liquor.*phone/);
  });
});

describe("the bodies' words taught as questions outside the catalogue", () => {
  it('leaves out the names and keywords of the records a body names, as the records have them', () => {
    const kb = loadKnowledge();
    const irb = loadBodies(undefined, kb.byId).bodies.find((b) => b.id === 'ca-irb-appeals');
    if (!irb) throw new Error('ca-irb-appeals missing');
    const [taught] = bodyExamples(kb, [irb]);
    expect(taught.intent).toBe('outside-federal');
    // "Sponsorship appeal" is a keyword of the Immigration Appeal Division record: the record's.
    expect(irb.keywords.en).toContain('sponsorship appeal');
    expect(taught.phrases.en).not.toContain('sponsorship appeal');
    expect(taught.phrases.en).not.toContain('Immigration Appeal Division');
    // What no record covers stays outside.
    expect(taught.phrases.en).toEqual(
      expect.arrayContaining(['refugee appeal', 'detention review']),
    );
    const [unnamed] = bodyExamples(kb, [{ ...irb, records: undefined }]);
    expect(unnamed.phrases.en).toContain('sponsorship appeal');
  });
});
