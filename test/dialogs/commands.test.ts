import { createI18n } from '../../lib/i18n';
import type { TurnContext } from 'botbuilder';
import { LANGUAGES } from '../../knowledge/schema';
import { CommandMatcher, normalizeCommand } from '../../dialogs/commands';
import { setTurnLanguage, translator } from '../../dialogs/context';

const commands = new CommandMatcher(createI18n());

describe('CommandMatcher', () => {
  it.each([
    ['English', 'en'],
    ['english please', 'en'],
    ['In English, please!', 'en'],
    ['anglais', 'en'],
    ['en anglais svp', 'en'],
    ['français', 'fr'],
    ['Francais', 'fr'],
    ['en français svp', 'fr'],
    ["En français, s'il vous plaît", 'fr'],
    ['Parlez-vous français?', 'fr'],
    ['can we speak French please', 'fr'],
  ])('recognizes "%s" as a switch to %s', (text, language) => {
    expect(commands.global(text)).toEqual({ kind: 'language', language });
  });

  it.each([
    ['help', 'help'],
    ['Aide', 'help'],
    ['cancel', 'cancel'],
    ['Annuler', 'cancel'],
    ['start over', 'startOver'],
    ['on recommence', 'startOver'],
  ])('recognizes "%s" as %s in either language', (text, kind) => {
    expect(commands.global(text)).toEqual({ kind });
  });

  it.each([
    'I need help renewing my health card',
    'I need a French birth certificate translation',
    'how do I cancel my CPP',
    'where can I get an English language test',
    '',
  ])('leaves the question "%s" alone', (text) => {
    expect(commands.global(text)).toBeNull();
  });

  it('recognizes "next", "office", greetings and thanks in both languages', () => {
    expect(['next', 'étape suivante', 'suivant'].every((t) => commands.is(t, 'next'))).toBe(true);
    expect(['office', 'trouver un bureau'].every((t) => commands.is(t, 'office'))).toBe(true);
    expect(['hi', 'Bonjour!'].every((t) => commands.is(t, 'greeting'))).toBe(true);
    expect(['thanks!', 'merci beaucoup'].every((t) => commands.is(t, 'thanks'))).toBe(true);
  });

  it('normalizes case, accents and punctuation', () => {
    expect(normalizeCommand('  En Français, SVP ! ')).toBe('en francais svp');
  });
});

describe('translator', () => {
  it('fills placeholders exactly as i18next does, in both languages', () => {
    const i18n = createI18n();
    for (const lang of LANGUAGES) {
      const state = new Map();
      // Only turnState is read by the translator.
      const context = {
        turnState: {
          get: (k: unknown) => state.get(k),
          set: (k: unknown, v: unknown) => state.set(k, v),
        },
      } as unknown as TurnContext;
      setTurnLanguage(context, lang);
      const t = translator({ i18n }, context);
      const params = {
        number: 2,
        total: 4,
        name: 'X',
        government: "Gouvernement de l'Ontario",
        deliveredBy: 'ServiceOntario',
        max: 1000,
        url: 'https://a.example/?q=1&b=2',
      };
      for (const key of [
        'lifeEvent.stepTitle',
        'service.summary',
        'input.truncated',
        'office.online',
        'greeting',
      ]) {
        expect(t(key, params)).toBe(i18n.t(lang, `bot:${key}`, params));
      }
    }
  });
});
