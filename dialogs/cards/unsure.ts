import type { FederalServiceResult, GovernmentBodyResult, WhoToAsk } from '../../knowledge/lookup';
import { Say } from './channel';
import { contactLine, municipalityLines } from './contacts';

export interface UnsureView {
  federalServices: FederalServiceResult[];
  bodies: GovernmentBodyResult[];
  whoToAsk: WhoToAsk | null;
  /** Records will be offered as choices after this text. */
  hasSuggestions: boolean;
}

/**
 * What the bot says when it is not sure: that it is not sure, the government bodies and the federal
 * services of the inventory that match (marked as less detailed, with their date), the likely
 * government, and who to call.
 */
export function unsureText(view: UnsureView, say: Say): string {
  const parts = [say('unsure.intro')];
  if (view.bodies.length) {
    const items = view.bodies.map((b) => {
      const phone = b.phone
        ? ' ' + say(b.hours ? 'unsure.bodyPhoneHours' : 'unsure.bodyPhone', { ...b })
        : '';
      return `- ${say('unsure.bodyItem', { ...b })}${phone}`;
    });
    parts.push([say('unsure.bodies', { checked: view.bodies[0].checked }), ...items].join('\n'));
  }
  if (view.federalServices.length) {
    const items = view.federalServices.map(
      (s) =>
        `- ${say(s.url ? 'unsure.federalItemUrl' : 'unsure.federalItem', { name: s.name, department: s.department, url: s.url ?? '' })}`,
    );
    parts.push(
      [say('unsure.federal', { year: view.federalServices[0].asOf }), ...items].join('\n'),
    );
  }
  const who = view.whoToAsk;
  if (who?.jurisdiction) parts.push(say(`unsure.likely.${who.jurisdiction}`));
  if (who && (who.jurisdiction === 'municipal' || (!who.jurisdiction && who.municipality)))
    parts.push(municipalityLines(who.municipality, say).join(' '));
  if (who?.contacts.length)
    parts.push(
      [say('unsure.call'), ...who.contacts.map((c) => `- ${contactLine(c, say)}`)].join('\n'),
    );
  if (!view.hasSuggestions) parts.push(say('unsure.rephrase'));
  return parts.join('\n\n');
}
