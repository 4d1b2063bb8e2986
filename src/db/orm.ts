import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { ormConfig } from './mikro-orm.config';

export type Orm = MikroORM;

export async function initOrm(url: string, overrides: Partial<Options> = {}): Promise<Orm> {
  return MikroORM.init(ormConfig(url, overrides));
}

/** Applies committed migrations only; the schema is never synchronised from entities at boot. */
export async function migrateUp(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
