import { luhnValid } from '../../lib/redact';

/** Deterministic personal numbers for privacy tests (valid in form, belonging to nobody). */
export function personalData(seed: number) {
  const digits = (n: number, s: number) =>
    Array.from({ length: n }, (_, i) => String((s * 7 + i * 13 + 3) % 10)).join('');
  let sin = '';
  for (let check = 0; check < 10 && !sin; check++) {
    const candidate = `${(seed % 7) + 1}${digits(7, seed)}${check}`;
    if (luhnValid(candidate)) sin = candidate;
  }
  const health = `${(seed % 8) + 1}${digits(9, seed + 5)}`;
  const phone = `613${String(200 + (seed % 700)).padStart(3, '0')}${digits(4, seed + 9)}`;
  return {
    sin,
    sinSpaced: `${sin.slice(0, 3)} ${sin.slice(3, 6)} ${sin.slice(6)}`,
    health: `${health.slice(0, 4)}-${health.slice(4, 7)}-${health.slice(7)}-AB`,
    healthDigits: health,
    phone: `(${phone.slice(0, 3)}) ${phone.slice(3, 6)}-${phone.slice(6)}`,
    phoneDigits: phone,
    email: `marie.tremblay${seed}@example.ca`,
    postal: `K1A ${seed % 10}B${(seed + 3) % 10}`,
    postalTail: `${seed % 10}B${(seed + 3) % 10}`,
  };
}
