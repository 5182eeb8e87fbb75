import { readContactAsk } from '../../knowledge/nlu/contact-ask';

describe('reading a request for a phone number', () => {
  it.each([
    ["What's the number for EI?", 'ei'],
    ['EI phone', 'ei'],
    ['phone number for the passport office', 'passport office'],
    ['how do I call the CRA about my refund', 'cra about my refund'],
    ['I want to talk to a real person at Service Canada', 'service canada'],
    ['the number to call for OSAP', 'osap'],
    ['Health811 number', 'health811'],
    ['numéro de téléphone de Service Canada', 'service canada'],
    ["quel est le numéro pour l'assurance-emploi", "l'assurance-emploi"],
    ["Je veux parler à quelqu'un à Service Canada", 'service canada'],
    ['comment joindre ServiceOntario', 'serviceontario'],
    ['ligne sans frais du RPC', 'rpc'],
  ])('reads "%s" as a phone request about "%s"', (text, topic) => {
    const ask = readContactAsk(text);
    expect(ask.asks).toBe(true);
    expect(ask.rest).toContain(topic);
  });

  it.each([
    'what is my SIN number',
    'I lost my business number',
    'my health card number is on the back?',
    "c'est quoi le numéro de NAS",
    'numero de carte sante perdu',
    'how to renew my health card',
    'renouveler mon permis de conduire',
  ])('does not read "%s" as a phone request, and keeps it whole', (text) => {
    expect(readContactAsk(text)).toEqual({ asks: false, rest: text });
  });
});
