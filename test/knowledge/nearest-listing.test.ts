import { loadInventory } from '../../knowledge/inventory/load';
import { NearestListing } from '../../knowledge/inventory/nearest';

describe('NearestListing: the federal inventory listing nearest to a question', () => {
  const inventory = loadInventory();
  const nearest = new NearestListing(inventory);

  it('finds a listing asked in other words, in the question language, with its department and link', () => {
    const found = nearest.find('je veux des cartes marines pour la baie James', 'fr', 0.3);
    expect(found).toMatchObject({ department: 'Pêches et Océans Canada' });
    expect(found?.name).toMatch(/cartes marines/i);
    expect(found?.coverage).toBeGreaterThanOrEqual(0.3);
    const listing = inventory.services.find((s) => s.id === found?.id);
    expect(found?.url).toBe(listing?.url?.fr ?? null);
  });

  it('answers nothing below the similarity asked for, or when no word is known', () => {
    const found = nearest.find('je veux des cartes marines pour la baie James', 'fr', 0.3);
    expect(
      nearest.find(
        'je veux des cartes marines pour la baie James',
        'fr',
        (found?.coverage ?? 0) + 0.01,
      ),
    ).toBeNull();
    expect(nearest.find('zxqv wrrrblt', 'en', 0)).toBeNull();
  });
});
