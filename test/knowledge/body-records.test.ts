import { lookup } from '../../knowledge/lookup';
import { shippedKnowledge } from '../helpers/knowledge';

/**
 * A government body that names curated records in `records` gives way to them: a question matched
 * to the body that the model places with one of them is answered by the record, with its facts,
 * not by the less detailed body. A question about what no record covers stays with the body.
 */
describe('bodies that name the curated records answering their questions', () => {
  const ask = async (q: string) => lookup((await shippedKnowledge()).answering, q);

  it.each([
    [
      "my spouse's sponsorship was refused, how do I appeal to the Immigration and Refugee Board of Canada",
      'immigration-appeal-division',
    ],
    ['Immigration and Refugee Board of Canada sponsorship appeal', 'immigration-appeal-division'],
    ['Canada Deposit Insurance Corporation are my GICs covered', 'cdic-deposit-insurance'],
    [
      'Library and Archives Canada grandfather’s war service file',
      'lac-military-genealogy-records',
    ],
    [
      'Alcohol and Gaming Commission of Ontario special occasion permit for a wedding',
      'special-occasion-permit',
    ],
    ['Parole Board of Canada register as a victim', 'victim-offender-information'],
  ])('%j, naming the body: the record answers, sure', async (q, record) => {
    const a = await ask(q);
    expect(a.confident).toBe(true);
    expect(a.results[0].id).toBe(record);
    expect(a.bodies).toEqual([]);
  });

  it('leaves the body the questions no record covers (a detention review at the IRB)', async () => {
    const a = await ask('Immigration and Refugee Board of Canada detention review');
    expect(a.confident).toBe(false);
    expect(a.bodies[0].id).toBe('ca-irb-appeals');
  });

  it('leaves the body a question that only names it, when the model is not sure', async () => {
    const a = await ask('Transport Canada phone number');
    expect(a.confident).toBe(false);
    expect(a.bodies[0].id).toBe('ca-transport-canada');
  });
});
