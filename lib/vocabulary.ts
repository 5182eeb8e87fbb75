/**
 * The project's shared vocabulary: the words every layer uses (languages, the two organizations, how
 * an answer ended, the locale of a language). It imports nothing, so any folder, and the pages built
 * for the browser, may import it.
 */

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The two organizations: staff tokens, offices and campaigns belong to one of them. */
export const ORGANIZATIONS = ['service-canada', 'serviceontario'] as const;
export type Organization = (typeof ORGANIZATIONS)[number];

/** How a question was answered, as usage counts and metrics record it. */
export const ANSWER_OUTCOMES = ['answered', 'out_of_scope', 'disambiguation', 'fallback'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

/** The Canadian locale of a language, for dates, times and numbers ("fr-CA", "en-CA"). */
export function localeOf(lang: Language): 'fr-CA' | 'en-CA' {
  return lang === 'fr' ? 'fr-CA' : 'en-CA';
}
