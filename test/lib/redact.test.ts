import { luhnValid, redact, hasPersonalData } from '../../lib/redact';

/** A valid SIN: 8 random digits plus the Luhn check digit. */
export function generateSin(seed: number): string {
  const digits = String(100000000 + ((seed * 7919) % 800000000))
    .slice(0, 8)
    .split('')
    .map(Number);
  for (let check = 0; check < 10; check++) {
    const candidate = [...digits, check].join('');
    if (luhnValid(candidate)) return candidate;
  }
  throw new Error('unreachable');
}

describe('redact', () => {
  it.each(Array.from({ length: 20 }, (_, i) => generateSin(i + 1)))(
    'removes the valid SIN %s in any grouping',
    (sin) => {
      const spaced = `${sin.slice(0, 3)} ${sin.slice(3, 6)} ${sin.slice(6)}`;
      const dashed = `${sin.slice(0, 3)}-${sin.slice(3, 6)}-${sin.slice(6)}`;
      for (const form of [sin, spaced, dashed]) {
        expect(redact(`my SIN is ${form}`)).toBe('my SIN is [SIN]');
        expect(redact(`mon NAS est le ${form}, merci`)).toBe('mon NAS est le [SIN], merci');
      }
    },
  );

  it('still removes nine digits that fail the Luhn check (they may be a mistyped SIN)', () => {
    expect(redact('number 123456789')).toBe('number [NUMBER]');
  });

  it.each([
    ['my health card is 1234-567-890-AB', 'my health card is [HEALTH-NUMBER]'],
    ['carte santé 1234 567 890 XY svp', 'carte santé [HEALTH-NUMBER] svp'],
    ['health number 1234567890KT', 'health number [HEALTH-NUMBER]'],
  ])('removes Ontario health numbers: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    ['call me at 613-555-1234', 'call me at [PHONE]'],
    ['(416) 555 9876 please', '[PHONE] please'],
    ['+1 416 555 9876', '[PHONE]'],
    ['mon numéro : 819.555.0199', 'mon numéro : [PHONE]'],
    ['appelez le 6135551234', 'appelez le [PHONE]'],
  ])('removes phone numbers: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    ['write to jean.tremblay@example.ca today', 'write to [EMAIL] today'],
    ['courriel : M.Ouellet+gov@courriel.qc.ca', 'courriel : [EMAIL]'],
  ])('removes e-mail addresses: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('keeps the forward sortation area of a postal code and hides the rest', () => {
    expect(redact('I live at K7L 3N6 in Kingston')).toBe('I live at K7L *** in Kingston');
    expect(redact('code postal p3e5l9')).toBe('code postal P3E ***');
  });

  it('removes card-like long numbers', () => {
    expect(redact('card 4111 1111 1111 1111 expired')).toBe('card [NUMBER] expired');
  });

  it('leaves ordinary questions alone', () => {
    for (const q of [
      'I need 2 passports for 3 kids',
      'G1 test in Sudbury',
      'OHIP for K7L',
      'Form T2201 for 2025',
    ]) {
      expect(hasPersonalData(q)).toBe(false);
    }
  });

  it('is idempotent', () => {
    const once = redact('SIN 046 454 286, phone 613-555-1234, a@b.ca, K1A 0B1');
    expect(redact(once)).toBe(once);
  });
});
