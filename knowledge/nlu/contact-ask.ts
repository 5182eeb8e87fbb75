import { fold } from './text';

/** A question read for a request to reach someone by phone. */
export interface ContactAsk {
  /** The person asks for a phone number, a line or a person to talk to. */
  asks: boolean;
  /** The question without those words: what the number is for ("EI", "Service Canada"). */
  rest: string;
}

// What makes "number" a phone number rather than a SIN, business or file number.
const NOT_A_PHONE = String.raw`(?!\s*(?:de |d'|du )?(?:nas|sin|assurance|carte|dossier|permis|client|reference|confirmation|suivi|entreprise|passeport|version|compte|membre|cas|demande|plaque|sante|health|business|file|case|account|tracking|licence|license|card|plate|member|client|application|confirmation)\b)`;

/**
 * Phrases that ask for a phone line, in English and French, on folded text (no accents, lower
 * case). Each is removed from the question to find what the line is for.
 */
const CONTACT_PHRASES: RegExp[] = [
  /(?:\b(?:c'est quoi|quel(?:le)? est|j'ai besoin d[ue]|je cherche)\s+(?:le\s+|du\s+)?|\b(?:le|du|au)\s+)?\b(?:numero\s+de\s+(?:telephone|tel)|telephone|tel|ats|ligne\s+(?:d'aide|info|telephonique|sans frais)|sans frais)\b/g,
  /\b(?:what(?:'s| is)|whats|give me|i need|need|get|find|looking for)?\s*(?:the|a|their|your)?\s*(?:phone|telephone|tel|contact|cell)\s*(?:number|no\.?|#|line|info(?:rmation)?|details)?\b/g,
  new RegExp(
    String.raw`\b(?:what(?:'s| is)|whats|which)\s+(?:the\s+)?(?:number|line)${NOT_A_PHONE}(?:\s+(?:for|to|of|at))?`,
    'g',
  ),
  new RegExp(String.raw`\bthe\s+number${NOT_A_PHONE}\s+(?:for|to call|of|at)\b`, 'g'),
  /\b(?:number|line)\s+to\s+call\b/g,
  // "EI number", "Service Canada number?" at the end of a question (not a SIN, card or file number).
  /\b(?<!\b(?:sin|social insurance|business|card|file|case|account|tracking|licence|license|plate|member|client|application|confirmation|passport|version|reference|serial|policy|registration|my|your|his|her|their|our|a|an)\s)number\s*[?.!]*$/g,
  /\b(?:tty|teletypewriter|hotline|helpline|help line|toll[- ]free(?: number)?|1[- ]?800(?: number)?)\b/g,
  /\b(?:who|which number|what number)\s+(?:do|can|should)\s+i\s+call\b/g,
  /\b(?:how\s+(?:do|can)\s+i|how to)\s+(?:call|contact|reach|phone|get in touch with|get a hold of|get ahold of)\b/g,
  /\b(?:call|phone|contact|reach|get in touch with)\b/g,
  /\b(?:speak|talk)\s+(?:to|with)\s+(?:someone|somebody|a (?:real )?person|an? (?:agent|human|officer|representative|rep))\b/g,
  new RegExp(
    String.raw`\b(?:quel(?:le)?\s+est\s+le|c'est quoi le|le|quel|un)\s+numero${NOT_A_PHONE}(?:\s+(?:pour|de|du|des|a))?`,
    'g',
  ),
  /\b(?:comment\s+(?:je\s+peux\s+|puis-je\s+|on\s+fait\s+pour\s+)?|pour\s+)?(?:appeler|appelle|appel|rejoindre|joindre|contacter|telephoner)\b/g,
  /\bparler\s+(?:a|avec)\s+(?:quelqu'un|un agent|une agente|une personne|un humain|un conseiller|une conseillere|un preposee?|une preposee)\b/g,
  new RegExp(String.raw`^\s*numero${NOT_A_PHONE}\s+(?:pour|a|de|du)\b`, 'g'),
];

/**
 * Reads whether a question asks for a phone number ("what's the number for EI", "numéro de
 * téléphone de Service Canada", "how do I call the CRA") and what remains once those words are
 * removed, so the service is understood from what the number is for.
 */
export function readContactAsk(text: string): ContactAsk {
  let rest = fold(text);
  let asks = false;
  for (const phrase of CONTACT_PHRASES) {
    rest = rest.replace(phrase, () => {
      asks = true;
      return ' ';
    });
  }
  return { asks, rest: asks ? rest.replace(/\s+/g, ' ').trim() : text };
}
