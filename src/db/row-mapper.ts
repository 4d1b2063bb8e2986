import { ReferenceKind, type EntityMetadata, type EntityName, type EntityProperty, type Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from './sql';

type Row = Record<string, unknown>;

/**
 * What read paths hand out: an entity's fields as a plain read-only object (see `RowMapper`), never
 * a managed entity. Typing resolver roots with it (`@Root() agency: Lean<Agency>`) matters at run
 * time too: for a `@Root()` parameter whose reflected type is a class, type-graphql copies every
 * root that is not an instance of it into a new instance (constructor, defaults, MikroORM's
 * property setters) on every field of every row; a type alias is reflected as `Object`, so lean
 * roots pass through untouched.
 */
export type Lean<T> = Readonly<T>;

/**
 * Turns raw rows of one entity's table into plain objects shaped like the entity: property names
 * instead of snake_case columns, the value types the entity exposes, and every many-to-one column
 * as an `{ id }` stub (so `agency.parent?.id`, `item.catalogue.id` read as on an entity).
 *
 * Read paths (lists, nested connections, by-id and field loaders) use these instead of managed
 * entities: building, registering and snapshotting a MikroORM entity per row was half of the CPU
 * time of a large nested list. The objects are READ-ONLY VIEWS: nothing tracks them, so changing
 * one changes nothing in the database. Code that writes loads a managed entity itself, inside its
 * transaction (`em.findOne(..., { lockMode, refresh })`).
 */
export interface RowMapper<T> {
  readonly table: string;
  /** The select list (`alias."col", …`): every column the entity loads by default; lazy ones such as password hashes are left out. */
  columns(alias: string): string;
  /** One row (extra columns such as `__rn` or a grouping key are ignored). */
  map(row: Row): Lean<T>;
  /**
   * The same columns renamed `<prefix><column>`, and the mapping of such a row: for statements that
   * return an entity's row beside other columns of the same names (a join that also fills a loader).
   */
  columnsAs(alias: string, prefix: string): string;
  mapFrom(row: Row, prefix: string): Lean<T>;
  /**
   * The mapping restricted to what a GraphQL selection of the entity's type reads (see
   * `FieldReads`), always with `id`; null when a selected field is neither a column property nor
   * declared in `reads` — then the caller loads whole rows. The objects it maps carry only those
   * properties: hand them to the selection they were made for, never to a loader or other code.
   */
  forSelection(selected: ReadonlySet<string>, reads: FieldReads): RowMapper<Partial<T>> | null;
}

/**
 * What the field resolvers of an entity's GraphQL type read from their root, by field name: e.g.
 * `{ deadlineRuleText: ['deadlineRule', 'deadlineEvent'], publications: ['id'] }`. A field not
 * listed reads its own property, if it is one. Every field resolver of the type must be listed
 * (test/unit/field-reads.test.ts checks it against type-graphql's metadata), because a resolver
 * that shares a property's name may read other properties too.
 */
export type FieldReads = Readonly<Record<string, readonly string[]>>;

interface ColumnPlan {
  column: string;
  property: string;
  /** Applied to non-null values only; null stays null as on a hydrated entity. */
  convert: ((value: unknown) => unknown) | null;
}

/** The mapping plan of an entity, built once from its metadata (keyed by the ORM's own metadata object). */
const plans = new WeakMap<EntityMetadata, RowMapper<unknown>>();

export function rowMapper<T>(em: EntityManager, entity: EntityName<T>): RowMapper<T> {
  const meta = em.getMetadata().get(entity as never) as EntityMetadata;
  let plan = plans.get(meta);
  if (!plan) {
    plan = buildPlan(meta, em.getPlatform());
    plans.set(meta, plan);
  }
  return plan as RowMapper<T>;
}

/**
 * `select <the entity's columns> from "<table>" t <rest>` through `sql()`: inside the request
 * transaction and the tenancy gate, counted against the request, as lean objects.
 */
export async function selectLean<T>(em: EntityManager, entity: EntityName<T>, rest: string, params: unknown[] = []): Promise<Lean<T>[]> {
  const mapper = rowMapper(em, entity);
  const rows = await sql<Row>(em, `select ${mapper.columns('t')} from "${mapper.table}" t ${rest}`, params);
  return rows.map(mapper.map);
}

function buildPlan(meta: EntityMetadata, platform: Platform): RowMapper<unknown> {
  const columns: ColumnPlan[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || prop.formula || prop.lazy) continue;
    const toOne = prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner);
    if (prop.kind !== ReferenceKind.SCALAR && !toOne) continue;
    if (prop.fieldNames.length !== 1) {
      throw new Error(`row-mapper: ${meta.className}.${prop.name} spans ${prop.fieldNames.length} columns (not supported)`);
    }
    columns.push({ column: prop.fieldNames[0]!, property: prop.name, convert: toOne ? referenceStub(prop) : scalarConverter(prop, platform) });
  }
  return planOf(meta.tableName, columns);
}

function planOf(table: string, columns: readonly ColumnPlan[]): RowMapper<unknown> {
  const byProperty = new Map(columns.map((c) => [c.property, c]));
  const subsets = new Map<string, RowMapper<unknown>>();
  const selectLists = new Map<string, string>();
  const mapper: RowMapper<unknown> = {
    table,
    columns(alias) {
      let list = selectLists.get(alias);
      if (!list) {
        list = columns.map((c) => `${alias}."${c.column}"`).join(', ');
        selectLists.set(alias, list);
      }
      return list;
    },
    // An arrow function over a plain loop: the same property order for every row keeps one object shape.
    map: (row) => mapper.mapFrom(row, ''),
    columnsAs(alias, prefix) {
      return columns.map((c) => `${alias}."${c.column}" as "${prefix}${c.column}"`).join(', ');
    },
    mapFrom(row, prefix) {
      const out: Row = {};
      for (const c of columns) {
        const value = row[prefix + c.column];
        out[c.property] = value == null ? null : c.convert ? c.convert(value) : value;
      }
      return out;
    },
    forSelection(selected, reads) {
      const wanted = new Set(['id']);
      for (const field of selected) {
        if (field === '__typename') continue;
        const props = reads[field] ?? (byProperty.has(field) ? [field] : null);
        if (!props) return null;
        for (const p of props) wanted.add(p);
      }
      // In the entity's column order, so equal selections share one plan.
      const subset = columns.filter((c) => wanted.has(c.property));
      if (subset.length !== wanted.size) throw new Error(`row-mapper: ${table}: declared reads ${[...wanted].join(', ')} are not all columns`);
      const key = subset.map((c) => c.property).join(',');
      let plan = subsets.get(key);
      if (!plan) {
        plan = planOf(table, subset);
        subsets.set(key, plan);
      }
      return plan;
    },
  };
  return mapper;
}

/** A many-to-one column becomes `{ id }`, what code reads from a reference without loading it. */
function referenceStub(prop: EntityProperty): (value: unknown) => unknown {
  const pk = prop.targetMeta?.primaryKeys[0] ?? 'id';
  if (pk === 'id') return (id) => ({ id });
  return (value) => ({ [pk]: value });
}

/**
 * The conversions MikroORM applies when it maps a result, decided once per property: custom types
 * (json, text[] and enum[] arrays — the driver returns enum arrays as `{A,B}` text —, int[] and
 * `date` columns kept as 'YYYY-MM-DD' strings) through the type's own `convertToJSValue`;
 * timestamps, which MikroORM has the driver leave as text, through the platform's date parser with
 * the same time-zone rule as its result mapper.
 */
function scalarConverter(prop: EntityProperty, platform: Platform): ((value: unknown) => unknown) | null {
  const type = prop.customType;
  if (type) return (value) => type.convertToJSValue(value, platform);
  if (prop.runtimeType === 'Date') {
    const tz = platform.getTimezone();
    const local = !tz || tz === 'local';
    return (value) => {
      if (value instanceof Date) return value;
      if (typeof value !== 'string') return platform.parseDate(Number(value));
      const zoned = local || value.includes('+') || value.lastIndexOf('-') > 10 || value.endsWith('Z');
      return platform.parseDate(zoned ? value : value + tz);
    };
  }
  return null;
}
