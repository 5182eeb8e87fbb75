/**
 * Greetings and sign-offs around a question ("Good morning, …", "… Much appreciated!", "Bonjour, …",
 * "… Merci beaucoup, bonne journée") say nothing about the service, but they are words the
 * classifier weighs: taken off before understanding, so a polite question gets the plain one's answer.
 * So is an agent's framing of a caller's question.
 */
const SEP = String.raw`[\s,.!:;–—-]+`;
const OPENERS = new RegExp(
  String.raw`^(?:(?:hi|hello|hey|greetings|good (?:morning|afternoon|evening|day)|dear (?:sir|madam|sir or madam|team)|` +
    String.raw`bonjour|bonsoir|salut|allo|allô|coucou|rebonjour|` +
    String.raw`(?:a |one )?(?:quick|short|simple) question|(?:une |petite )?question(?: rapide)?|` +
    String.raw`sorry to bother you|excuse me|excusez-moi|pardon)(?: (?:there|all|everyone|team|folks|madame|monsieur|a tous|à tous|tout le monde))?)` +
    SEP,
  'i',
);
const CLOSERS = new RegExp(
  SEP +
    String.raw`(?:(?:and )?(?:thanks?(?: you)?(?: (?:so|very) much| a lot| in advance| for your help)?|thx|ty|many thanks|` +
    String.raw`much appreciated|(?:i )?appreciate (?:it|your help)|cheers|regards|best regards|` +
    String.raw`have a (?:good|nice|great) (?:day|one|evening)|` +
    String.raw`merci(?: (?:beaucoup|bien|d['’]avance|[àa] l['’]avance|pour votre aide))?|` +
    String.raw`bonne (?:journée|journee|soirée|soiree|fin de semaine)|cordialement|salutations))[\s.!]*$`,
  'i',
);

/**
 * How a call-centre agent frames a caller's question ("caller wants to know if…", "l'appelante
 * demande comment…"): the framing is the agent's, the rest is the question.
 */
const AGENT_FRAMES = new RegExp(
  String.raw`^(?:(?:the |my |a |this )?(?:caller|client|customer)(?: is)? (?:wants to know|would like to know|is asking|asks|asked|wants|would like|needs|is looking for|inquires|enquires)(?: (?:about|if|whether|how|what|where|when|who|for))?|` +
    String.raw`(?:l['’]|un |une |mon |ma )?(?:appelante?|cliente?) (?:demande|veut savoir|voudrait savoir|aimerait savoir|veut|voudrait|a besoin d['’]?|cherche)(?: (?:si|comment|quoi|o[uù]|quand|qui|des informations sur|de l['’]information sur))?)` +
    String.raw`(?:\s*:)?\s+`,
  'i',
);

/** The question without its greetings and sign-offs (the text itself when nothing else would remain). */
export function stripCourtesy(text: string): string {
  let out = text.trim();
  for (let i = 0; i < 3; i++) {
    const next = out.replace(OPENERS, '').replace(AGENT_FRAMES, '').replace(CLOSERS, '').trim();
    if (next === out) break;
    out = next;
  }
  return /[a-z0-9]/i.test(out) ? out : text;
}
