import { I18n } from '../lib/i18n';
import { fold } from '../knowledge/nlu/text';
import { Language, LANGUAGES } from '../knowledge/schema';

/** The short phrases the bot reacts to, listed per language in locales/{en,fr}/bot.json (`commands.*`). */
export const COMMANDS = [
  'help',
  'cancel',
  'startOver',
  'english',
  'french',
  'next',
  'office',
  'greeting',
  'thanks',
  'none',
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** What the shared base dialog handles before any step runs. */
export type GlobalCommand =
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'startOver' }
  | { kind: 'language'; language: Language };

/** Commands are short: a longer message is a question, even if it starts with "help". */
const MAX_COMMAND_LENGTH = 60;

/** Folded, punctuation removed, spaces collapsed: "En français, SVP !" → "en francais svp". */
export function normalizeCommand(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Recognizes commands in either language, whatever the conversation's language, so "aide" works
 * in an English conversation and "English please" in a French one.
 */
export class CommandMatcher {
  private readonly phrases = new Map<CommandName, Set<string>>();
  private readonly politeness: string[];

  constructor(i18n: I18n) {
    const list = (name: string) =>
      LANGUAGES.flatMap((l) => i18n.t(l, `bot:commands.${name}`).split('|'))
        .map(normalizeCommand)
        .filter(Boolean);
    for (const name of COMMANDS) this.phrases.set(name, new Set(list(name)));
    // Longest first, so "s il vous plait" is removed before "merci".
    this.politeness = [...new Set(list('politeness'))].sort((a, b) => b.length - a.length);
  }

  /** True when the whole message is one of the command's phrases (politeness words aside). */
  is(text: string | undefined, name: CommandName): boolean {
    if (!text || text.length > MAX_COMMAND_LENGTH) return false;
    const phrases = this.phrases.get(name) as Set<string>;
    const normalized = normalizeCommand(text);
    return phrases.has(normalized) || phrases.has(this.stripPoliteness(normalized));
  }

  /** Help, cancel, start over or a language switch, else null. */
  global(text: string | undefined): GlobalCommand | null {
    if (this.is(text, 'english')) return { kind: 'language', language: 'en' };
    if (this.is(text, 'french')) return { kind: 'language', language: 'fr' };
    if (this.is(text, 'help')) return { kind: 'help' };
    if (this.is(text, 'cancel')) return { kind: 'cancel' };
    if (this.is(text, 'startOver')) return { kind: 'startOver' };
    return null;
  }

  private stripPoliteness(normalized: string): string {
    let s = ` ${normalized} `;
    let changed = true;
    while (changed) {
      changed = false;
      for (const p of this.politeness) {
        if (s.startsWith(` ${p} `)) {
          s = s.slice(p.length + 1);
          changed = true;
        }
        if (s.endsWith(` ${p} `)) {
          s = s.slice(0, s.length - p.length - 1);
          changed = true;
        }
      }
    }
    return s.trim();
  }
}
