import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledge } from '../../../knowledge/load';
import { PROJECT_ROOT } from '../../../lib/paths';
import { nearestAt, officeFinder, visitSandyLake } from '../../helpers/offices';

// A Tuesday that is no holiday, in the home time zone (EDT).
const TUESDAY_10AM = '2025-03-11T10:00:00-04:00';

describe('outreach sites with no visit date, and far offices in the north', () => {
  it('names the community outreach sites and whom to ask for the next visit, in both languages', async () => {
    const finder = await officeFinder();
    const en = nearestAt(finder, 'sin', 'Moosonee', TUESDAY_10AM);
    expect(en.outreach).toEqual([]);
    expect(en.outreachSites.map((s) => s.id)).toEqual([
      'sc-outreach-moose-factory',
      'sc-outreach-moosonee',
    ]);
    expect(en.outreachSites[1]).toMatchObject({
      name: 'Moosonee Scheduled Outreach Site',
      organization: 'service-canada',
      address: '21 First Street, Moosonee, ON P0L 1Y0',
      url: 'https://offices.service.canada.ca/en/Office/ON-SCS',
    });
    expect(en.outreachSites[1].message).toBe(
      'Service Canada serves this area through scheduled visits at Moosonee Scheduled Outreach Site, ' +
        '21 First Street, Moosonee, ON P0L 1Y0. Their dates are not known here: ask for the next visit ' +
        "on the site's page (https://offices.service.canada.ca/en/Office/ON-SCS) or at 1 800 O-Canada, " +
        '1-800-622-6232 (TTY 1-800-926-9105).',
    );
    // Every listed office is farther than the sites.
    expect(Math.min(...en.offices.map((o) => o.distanceKm))).toBeGreaterThan(200);
    expect(en.remote?.code).toBe('remote');
    expect(en.remote?.message).toMatch(/^The nearest office is 243 km away in a straight line\./);

    const fr = nearestAt(finder, 'sin', 'Moosonee', TUESDAY_10AM, { lang: 'fr' });
    expect(fr.outreachSites[1].message).toBe(
      'Service Canada sert la région par des visites prévues à cet endroit : Site de services mobiles ' +
        "prévus de Moosonee, 21 First Street, Moosonee, ON P0L 1Y0. Nous n'en connaissons pas les dates : " +
        'demandez la prochaine visite sur la page du site ' +
        '(https://www.servicecanada.gc.ca/tbsc-fsco/sc-dsp.jsp?rc=ON-SCS&lang=fra) ou au 1 800 O-Canada, ' +
        '1-800-622-6232 (ATS 1-800-926-9105).',
    );
    expect(fr.remote?.message).toMatch(/^Le bureau le plus proche est à 243 km à vol d'oiseau\./);
  });

  it('lists a site with an upcoming visit as the visit, not as a site to ask about', async () => {
    const finder = await officeFinder();
    await visitSandyLake(finder, ['sin']);
    const answer = nearestAt(finder, 'sin', 'Sandy Lake', TUESDAY_10AM);
    expect(answer.outreach.map((v) => v.siteId)).toEqual(['sc-outreach-sandy-lake-first-nation']);
    expect(answer.outreachSites).toEqual([]);
    expect(answer.remote?.code).toBe('remote');
  });

  it('says nothing of the kind where an office is near, or where a far office is a service offered in few places', async () => {
    const finder = await officeFinder();
    const kingston = nearestAt(finder, 'sin', 'K7L 3N6', TUESDAY_10AM);
    expect(kingston.outreachSites).toEqual([]);
    expect(kingston.remote).toBeNull();
    // Moosonee has its own ServiceOntario office.
    const healthCard = nearestAt(finder, 'health-card', 'Moosonee', TUESDAY_10AM);
    expect(healthCard.outreachSites).toEqual([]);
    expect(healthCard.remote).toBeNull();
    // A legal name change is done in Toronto only: far from Ottawa, explained by the service note.
    const nameChange = nearestAt(finder, 'name-change', 'Ottawa', TUESDAY_10AM);
    expect(nameChange.offices[0].distanceKm).toBeGreaterThan(150);
    expect(nameChange.remote).toBeNull();
    expect(nameChange.serviceNote).not.toBeNull();
  });

  it("gives the phone numbers of the knowledge base's general lines", () => {
    const kb = loadKnowledge();
    for (const lang of ['en', 'fr']) {
      const sites = JSON.parse(
        fs.readFileSync(path.join(PROJECT_ROOT, 'locales', lang, 'offices.json'), 'utf8'),
      ).outreachSite as Record<string, string>;
      for (const [key, lineId] of [
        ['service-canada', 'service-canada'],
        ['serviceontario', 'serviceontario'],
      ]) {
        const line = kb.lines.get(lineId);
        for (const variant of [key, `${key}NoPage`]) {
          expect(sites[variant]).toContain(line?.phone);
          expect(sites[variant]).toContain(line?.tty);
        }
      }
    }
  });
});
