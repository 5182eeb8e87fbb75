'use strict';
// Service Canada offices for the registry generator: the 2026 crawl of the official office finder
// (street address, postal code, point and how precisely it was placed), with the official languages
// and page links of the February 2024 list for the offices it still holds. Never loaded at run time.

const KINDS = {
  scc: {
    type: 'service-canada',
    strip: / Service Canada Centre$/,
    prefix: 'sc',
    en: (p) => `${p} Service Canada Centre`,
    fr: (p, de) => `Centre Service Canada ${de(p)}`,
  },
  passport: {
    type: 'passport',
    strip: / Service Canada Centre - Passport Services$/,
    prefix: 'sc-passport',
    en: (p) => `${p} Service Canada Centre – Passport Services`,
    fr: (p, de) => `Centre Service Canada ${de(p)} – Services de passeport`,
  },
  'scc-passport': {
    type: 'service-canada',
    category: 'consolidated',
    strip: / Service Canada Centre and Passport Services$/,
    prefix: 'sc',
    en: (p) => `${p} Service Canada Centre and Passport Services`,
    fr: (p, de) => `Centre Service Canada et Services de passeport ${de(p)}`,
  },
  outreach: {
    type: 'service-canada-outreach',
    strip: / Scheduled Outreach Site$/i,
    prefix: 'sc-outreach',
    en: (p) => `${p} Scheduled Outreach Site`,
    fr: (p, de) => `Site de services mobiles prévus ${de(p)}`,
  },
};

/** Temporary closures the finder states, in both languages. */
const CLOSURE_REASONS = {
  'unforeseen circumstances': {
    en: 'Temporarily closed due to unforeseen circumstances (as the official office finder stated on 2026-09-30).',
    fr: 'Fermé temporairement en raison de circonstances imprévues (selon le localisateur officiel de bureaux au 2026-09-30).',
  },
  'building maintenance': {
    en: 'Temporarily closed for building maintenance (as the official office finder stated on 2026-09-30).',
    fr: 'Fermé temporairement pour l’entretien de l’immeuble (selon le localisateur officiel de bureaux au 2026-09-30).',
  },
};

/** The crawl's placement quality, in the registry's terms. */
const PLACEMENT = { address: 'address', postal_code: 'postal-code', town: 'town' };

/** "Federal Building / 120 Wellington Street West" → the street address and the building. */
function splitAddress(text) {
  const parts = text
    .split(' / ')
    .map((s) => s.trim())
    .filter(Boolean);
  const street = parts.pop();
  return { street, building: parts.length ? parts.join(', ') : null };
}

/**
 * @param {object} io readCsv, slug, frenchTown, de, round, locate (a town or community point), floorNote,
 *   areaOf (an FSA's checked point)
 */
function serviceCanada(io) {
  const listed = new Map();
  for (const r of io.readCsv('service_canada_locations_ontario_2024.csv'))
    listed.set(/[?&]rc=([^&]+)/.exec(r.link)[1], r);
  const dropped = [];
  const crawled = new Set();
  const offices = io.readCsv('service_canada_offices_ontario.csv').map((r) => {
    const kind = KINDS[r.kind];
    if (!kind) throw new Error(`Unknown Service Canada kind ${r.kind}`);
    crawled.add(r.sc_office_id);
    const place = r.name_en.replace(kind.strip, '').trim();
    const src = `service-canada-offices-2026#${r.sc_office_id}`;
    const old = listed.get(r.sc_office_id);
    const oldSrc = `service-canada-locations-2024#${r.sc_office_id}`;
    const { street, building } = splitAddress(r.address_en);
    const town = r.city;
    let location;
    if (r.placement_quality === 'suspect') {
      // The crawl's point is wrong (another place of the same name): the community's own point stands in.
      location = { ...io.locate(place), approximate: true, placement: 'community' };
    } else {
      const placement = PLACEMENT[r.placement_quality];
      if (!placement)
        throw new Error(`Unknown placement ${r.placement_quality} for ${r.sc_office_id}`);
      // A full postal code places an office within a block in a town, but spans the whole place in a rural area (P0T 1C0).
      const rural = /^[A-Z]0/.test(r.postal_code);
      const approximate = placement === 'town' || (placement === 'postal-code' && rural);
      location = {
        lat: Number(r.lat),
        lon: Number(r.lng),
        approximate,
        placement,
        place: placement === 'town' ? town : r.postal_code,
        source: src,
      };
    }
    const office = {
      id: `${kind.prefix}-${io.slug(place)}`,
      organization: 'service-canada',
      type: kind.type,
      ...(kind.category ? { category: kind.category } : {}),
      name: { en: kind.en(place), fr: kind.fr(place, io.de), source: src },
      address: {
        street,
        ...(building ? { building } : {}),
        postalCode: r.postal_code,
        town,
        townFr: io.frenchTown(town),
        source: src,
      },
      location: io.rounded(location),
      ...(old
        ? {
            languages: {
              value: /English and French/.test(old['center-lang']) ? ['en', 'fr'] : ['en'],
              source: oldSrc,
            },
          }
        : {}),
      url: {
        en: r.official_page,
        fr: old ? old.link.replace(/lang=\w+/, 'lang=fra') : r.official_page,
        source: src,
      },
    };
    const floor = io.floorNote(r.address_en);
    if (floor) office.accessibility = { ...floor, source: src };
    const closed = /temporary closure from (\d{4}-\d{2}-\d{2}) \(([^)]+)\)/.exec(r.note);
    if (closed) {
      const why = CLOSURE_REASONS[closed[2]];
      if (!why)
        throw new Error(`No French for the closure reason "${closed[2]}" (${r.sc_office_id})`);
      office.closedSince = { date: closed[1], reason: why, source: src };
    }
    const appointment = /appointment only \(phone ([\d-]+)\)/.exec(r.note);
    if (appointment) {
      office.notice = {
        en: `By appointment only: call ${appointment[1]} before you go.`,
        fr: `Sur rendez-vous seulement : appelez le ${appointment[1]} avant de vous déplacer.`,
        source: src,
      };
    }
    if (r.note) office.note = r.note;
    return office;
  });
  for (const [rc, r] of listed) if (!crawled.has(rc)) dropped.push(`${r.name} (rc=${rc})`);
  if (dropped.length)
    process.stdout.write(
      `Service Canada: not in the 2026 finder, left out: ${dropped.join('; ')}\n`,
    );
  const notes = offices.filter((o) => o.note).map((o) => `${o.id}: ${o.note}`);
  for (const o of offices) delete o.note;
  if (notes.length) process.stdout.write(`Service Canada: review notes\n  ${notes.join('\n  ')}\n`);
  return offices;
}

module.exports = { serviceCanada };
