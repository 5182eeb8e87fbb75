import type { TurnContext } from 'botbuilder';
import type { Outcome, Referral } from '../knowledge/usage/usage-store';
import { DialogDeps, messageText, turnLanguage } from './context';

export interface BotAnswer {
  outcome: Outcome;
  /** The record the answer is about (a service or a life event). */
  record?: { id: string; jurisdiction: string } | null;
  /** `online` when the answer shows the online link, `office` when it shows offices. */
  referral?: Referral;
}

/**
 * Counts one answer of the bot, as `/api/lookup` counts its own: in the usage store (channel `bot`,
 * for the insights) and in `answers_total`. The person's text goes to the store only when the answer
 * did not help (out of scope, fallback), and the store redacts it; state and logs never get it.
 */
export function logAnswer(
  deps: Pick<DialogDeps, 'usage' | 'metrics'>,
  context: TurnContext,
  answer: BotAnswer,
): void {
  const language = turnLanguage(context);
  const unanswered = answer.outcome === 'out_of_scope' || answer.outcome === 'fallback';
  const question = unanswered ? messageText(context) : '';
  deps.metrics?.answers.inc({ channel: 'bot', outcome: answer.outcome, language });
  deps.usage?.recordAnswer({
    channel: 'bot',
    language,
    outcome: answer.outcome,
    recordId: answer.record?.id,
    jurisdiction: answer.record?.jurisdiction,
    referral: answer.referral ?? '',
    ...(question ? { question } : {}),
  });
}
