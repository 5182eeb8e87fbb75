import { postalAreas } from '../../../knowledge/geography/postal-areas';
import { loadKnowledge } from '../../../knowledge/load';
import { checkOffices } from '../../../knowledge/offices/check';
import { loadOfficeRegistryData } from '../../../knowledge/offices/load';

const data = loadOfficeRegistryData(new Map(loadKnowledge().byId));

describe('npm run offices:check', () => {
  const report = checkOffices(data, postalAreas());

  it('places at least 94 of the 96 staffed Service Canada offices at their address or postal code', () => {
    expect(report.staffedServiceCanada.total).toBe(96);
    expect(report.staffedServiceCanada.exact).toBeGreaterThanOrEqual(94);
  });

  it('gives every office a street address and a point in Ontario', () => {
    expect(report.withoutStreet).toEqual([]);
    expect(report.outsideOntario).toEqual([]);
  });

  it('keeps the offices that share one approximate point, and the postal areas without agreeing sources, from growing', () => {
    expect(report.sharedPoints.reduce((n, g) => n + g.offices.length, 0)).toBeLessThanOrEqual(145);
    expect(report.disagreeingAreas.filter((a) => !a.rural).length).toBeLessThanOrEqual(29);
  });

  it('lists offices that share one town point, and a point outside Ontario', () => {
    const twin = {
      ...data.offices[0],
      id: 'twin',
      location: { ...data.offices[0].location, approximate: true, placement: 'town' as const },
    };
    const first = { ...data.offices[0], location: twin.location };
    const r = checkOffices({ offices: [first, twin] }, postalAreas());
    expect(r.sharedPoints).toEqual([{ town: first.address.town, offices: [first.id, 'twin'] }]);
    const abroad = { ...first, location: { ...first.location, lat: 45.5017, lon: -73.9 } };
    expect(checkOffices({ offices: [abroad] }, postalAreas()).outsideOntario).toEqual([first.id]);
  });
});
