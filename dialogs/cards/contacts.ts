import type { ContactView } from '../../knowledge/contacts';
import { MUNICIPAL_LIST_URL, MunicipalityView } from '../../knowledge/answer-types';
import { AdaptiveElement, Say, textBlock } from './channel';

/** One phone line as a sentence: "Employment Insurance enquiries: 1-800-206-7218 (TTY 1-800-529-3742). Monday to Friday…". */
export function contactLine(c: ContactView, say: Say): string {
  const extras = [
    c.phoneFr ? say('contacts.inFrench', { phone: c.phoneFr }) : '',
    c.tty ? say('contacts.tty', { phone: c.tty }) : '',
    c.outsideCanada ? say('contacts.outsideCanada', { phone: c.outsideCanada }) : '',
  ].filter(Boolean);
  const number = extras.length ? `${c.phone} (${extras.join('; ')})` : c.phone;
  // Sentences joined with full stops; a part that ends with its own stop does not get a second one.
  return [say('contacts.line', { name: c.name, phone: number }), c.hours, c.note ?? '']
    .filter(Boolean)
    .map((part) => part.replace(/\.$/, ''))
    .join('. ')
    .concat('.');
}

/**
 * The person's municipality as sentences: its name (and the community or postal area it was read
 * from), its website, how to call it (311 only where it exists) and, in a county or region, that some
 * services are the upper tier's. Unknown: how to find it.
 */
export function municipalityLines(m: MunicipalityView | null, say: Say): string[] {
  if (!m) return [say('municipality.unknown', { url: MUNICIPAL_LIST_URL })];
  const lines = [
    m.matched
      ? say('municipality.yoursFrom', { name: m.name, matched: m.matched })
      : say('municipality.yours', { name: m.name }),
  ];
  if (m.alternatives.length)
    lines.push(say('municipality.several', { names: [m.name, ...m.alternatives].join(', ') }));
  if (m.website) lines.push(say('municipality.website', { url: m.website }));
  if (m.line?.is311)
    lines.push(
      m.line.fromOutside
        ? say('municipality.call311From', { phone: m.line.fromOutside })
        : say('municipality.call311'),
    );
  else if (m.line) lines.push(say('municipality.call', { phone: m.line.phone }));
  else lines.push(say('municipality.noLine'));
  if (m.tier === 'lower') lines.push(say('municipality.lowerTier', { area: m.area }));
  return lines;
}

/** The phone lines as a titled Adaptive Card section. */
export function contactsSection(contacts: readonly ContactView[], say: Say): AdaptiveElement[] {
  if (contacts.length === 0) return [];
  return [
    textBlock(say('contacts.title'), { weight: 'Bolder', spacing: 'Medium' }),
    ...contacts.map((c) => textBlock(contactLine(c, say), { spacing: 'Small' })),
  ];
}

/** The municipality as a titled Adaptive Card section. */
export function municipalitySection(m: MunicipalityView | null, say: Say): AdaptiveElement[] {
  return [
    textBlock(say('municipality.title'), { weight: 'Bolder', spacing: 'Medium' }),
    ...municipalityLines(m, say).map((l) => textBlock(l, { spacing: 'Small' })),
  ];
}
