/**
 * The one redaction step for everything that is logged or stored. Personal numbers are replaced by
 * placeholders before any text leaves the request: SINs (9 digits passing the Luhn check), Ontario
 * health numbers (10 digits, optional version code), phone numbers, e-mail addresses, card-like long
 * numbers, and full postal codes (the first three characters, the forward sortation area, are kept
 * because demand by area is counted with them).
 */

export const PLACEHOLDERS = {
  sin: '[SIN]',
  health: '[HEALTH-NUMBER]',
  phone: '[PHONE]',
  email: '[EMAIL]',
  number: '[NUMBER]',
} as const;

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|\s?\(at\)\s?|\s?\[at\]\s?)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Ontario health number as printed: 4-3-3 digits, optional two-letter version code.
const HEALTH = /(?<![\dA-Za-z])\d{4}[\s-]?\d{3}[\s-]?\d{3}(?:[\s-]?[A-Za-z]{2})?(?![\dA-Za-z])/g;
// Nine digits, grouped 3-3-3 or not.
const NINE = /(?<![\d])\d{3}[\s.-]?\d{3}[\s.-]?\d{3}(?![\d])/g;
// North American phone numbers: optional +1, area code in brackets or not, 7-digit local numbers.
const PHONE = /(?<![\d])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[\s.-]\d{4}(?![\d])/g;
const PHONE_PLAIN = /(?<![\d])(?:\+?1)?\d{10}(?![\d])/g;
// Card and account numbers: twelve digits or more.
const CARD_NUMBER = /(?<![\d])\d(?:[\s.-]?\d){11,}(?![\d])/g;
// Any other long run of digits.
const LONG_NUMBER = /(?<![\d])\d(?:[\s.-]?\d){7,}(?![\d])/g;
// Canadian postal code: keep the forward sortation area.
const POSTAL = /\b([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])[\s-]?(\d[ABCEGHJ-NPRSTV-Z]\d)\b/gi;

/** Luhn check on a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Returns the text with every personal number replaced by a placeholder. Idempotent. */
export function redact(text: string): string {
  if (!text) return text;
  return text
    .replace(EMAIL, PLACEHOLDERS.email)
    .replace(CARD_NUMBER, (m) => (m.replace(/\D/g, '').length > 11 ? PLACEHOLDERS.number : m))
    .replace(NINE, (m) => (luhnValid(m.replace(/\D/g, '')) ? PLACEHOLDERS.sin : m))
    .replace(HEALTH, (m) =>
      /[A-Za-z]{2}$/.test(m) || /^\d{4}[\s-]\d{3}[\s-]\d{3}$/.test(m) ? PLACEHOLDERS.health : m,
    )
    .replace(PHONE, PLACEHOLDERS.phone)
    .replace(PHONE_PLAIN, PLACEHOLDERS.phone)
    .replace(NINE, PLACEHOLDERS.number)
    .replace(LONG_NUMBER, PLACEHOLDERS.number)
    .replace(POSTAL, (_m, fsa: string) => `${fsa.toUpperCase()} ***`);
}

/** True when the text holds anything `redact` would change. */
export function hasPersonalData(text: string): boolean {
  return redact(text) !== text;
}
