import { persistentSecret } from '../../lib/secrets';
import { ENGINES, testDatabase } from '../helpers/databases';

describe.each(ENGINES)('persistent secrets (%s)', (engine) => {
  it('makes a secret once and gives every process the same one', async () => {
    const db = await testDatabase(engine);
    try {
      const first = await persistentSecret(db.database, 'directline');
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [again, other] = await Promise.all([
        persistentSecret(db.database, 'directline'),
        persistentSecret(db.database, 'other'),
      ]);
      expect(again).toBe(first);
      expect(other).not.toBe(first);
    } finally {
      await db.close();
    }
  });
});
