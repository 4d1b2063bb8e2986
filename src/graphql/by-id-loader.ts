import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Entities by id in one statement per batch; null for ids that do not exist or lie outside the caller's scope. */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = (await em.find(entity as never, { id: { $in: [...ids] } } as never)) as T[];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}
