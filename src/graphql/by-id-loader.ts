import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../db/row-mapper';
import { uuidArrayLiteral } from '../db/sql';

/**
 * Rows by id in one statement per batch, as lean read-only objects (src/db/row-mapper.ts); null for
 * ids that do not exist or lie outside the caller's scope (row-level security hides them).
 */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: new () => T) {
  return new DataLoader<string, Lean<T> | null>(async (ids) => {
    const rows = await selectLean(em, entity, 'where t.id = any(?::uuid[])', [uuidArrayLiteral(ids)]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
