import type { ContactView } from './answer-types';
import type { KnowledgeRepository } from './repository';

export type { ContactView } from './answer-types';
import type { Jurisdiction, Language, PhoneLine } from './schema';

export function contactView(line: PhoneLine, lang: Language): ContactView {
  const view: ContactView = {
    id: line.id,
    name: line.name[lang],
    phone: line.phone,
    hours: line.hours[lang],
  };
  if (line.phoneFr) view.phoneFr = line.phoneFr;
  if (line.tty) view.tty = line.tty;
  if (line.outsideCanada) view.outsideCanada = line.outsideCanada;
  if (line.note) view.note = line.note[lang];
  return view;
}

/** The lines named by ids, in the answer language (unknown ids are skipped: the load checks them). */
export function contactViews(
  repo: Pick<KnowledgeRepository, 'line'>,
  ids: readonly string[],
  lang: Language,
): ContactView[] {
  const views: ContactView[] = [];
  for (const id of ids) {
    const line = repo.line(id);
    if (line) views.push(contactView(line, lang));
  }
  return views;
}

/**
 * Each government's general line: who to ask when the assistant is not sure which service is meant.
 * Municipal matters go to the person's municipality (its own line, or 311 where it exists).
 */
export const GENERAL_LINES: Record<Exclude<Jurisdiction, 'municipal' | 'shared'>, string> = {
  federal: 'service-canada',
  provincial: 'serviceontario',
};
