/**
 * Subtree totals of a roll-up, summed at read time: each agency's own figures count towards itself
 * and every ancestor up to the root, whose ids are the labels of its path from the root's depth on.
 * Linear in agencies × depth, with no join of the agencies with each other (whose number the planner
 * cannot know under the tenancy gate). Figures are keyed by agency id, so moving a subtree changes
 * no figure — only which labels its path holds.
 */

/**
 * A `sub as materialized (…)` CTE over `own` (columns `path` and each of `columns`), giving `id` and
 * `sub_<column>` per agency of the subtree, plus any `extra` aggregates over `o` (e.g. a minimum).
 * Takes one parameter: {@link rootDepth} of the root.
 */
export function subtreeSumsCte(columns: readonly string[], own = 'own', extra: readonly string[] = []): string {
  const sums = [...columns.map((c) => `coalesce(sum(o.${c}), 0) as sub_${c}`), ...extra].join(', ');
  return `sub as materialized (
         select l.label::uuid as id, ${sums}
           from ${own} o
           cross join lateral unnest(string_to_array(ltree2text(o.path), '.')) with ordinality as l(label, depth)
          where l.depth >= ?
          group by 1
       )`;
}

/** The parameter of {@link subtreeSumsCte}: the depth of the roll-up's root path. */
export function rootDepth(rootPath: string): number {
  return rootPath.split('.').length;
}

/** What a roll-up shows per agency (see {@link rollupRowsSql}). */
export interface RollupColumns {
  /** Counters of `own`, shown as `own_<c>` (0 for an agency without an `own` row). */
  own: readonly string[];
  /** Other columns of `own` (one row per agency), shown as `own_<c>`, null when absent. */
  ownKept?: readonly string[];
  /** Counters of `sub` (`sub_<c>`), shown as such (0 when absent). */
  sub: readonly string[];
  /** Other columns of `sub` (e.g. `sub_min`), shown as such, null when absent. */
  subKept?: readonly string[];
  /** A condition on the scope's rows `s` (e.g. a depth limit); may take parameters. */
  where?: string;
}

/**
 * The final select of a roll-up over the CTEs `scope` (id, code, path), `own` (agency_id, …) and
 * `sub` (id, …): every agency of the scope with its own figures and its subtree totals, as
 * `agency_id`, `level` and the columns asked for, ordered by depth and code.
 *
 * The three are put side by side by a union and one aggregate by agency, not by joins: under the
 * tenancy gate the planner cannot know the size of the scope and guesses one row, and nested
 * loops over the three CTEs (agencies² comparisons) were half of a province's completion roll-up.
 */
export function rollupRowsSql(c: RollupColumns): string {
  const ownKept = c.ownKept ?? [];
  const subKept = c.subKept ?? [];
  const all = [...c.own.map((x) => `own_${x}`), ...ownKept.map((x) => `own_${x}`), ...c.sub, ...subKept];
  // Own, then sub, then scope: each untyped null takes its type from the branch before it.
  const branch = (id: string, level: string, code: string, values: Record<string, string>) =>
    `select ${id} as agency_id, ${level} as level, ${code} as code, ${all.map((a) => `${values[a] ?? 'null'} as ${a}`).join(', ')}`;
  const fromOwn = Object.fromEntries([...c.own, ...ownKept].map((x) => [`own_${x}`, `o.${x}`]));
  const fromSub = Object.fromEntries([...c.sub, ...subKept].map((x) => [x, `sub.${x}`]));
  const shown = [
    ...c.own.map((x) => `coalesce(sum(u.own_${x}), 0) as own_${x}`),
    ...ownKept.map((x) => `max(u.own_${x}) as own_${x}`),
    ...c.sub.map((x) => `coalesce(sum(u.${x}), 0) as ${x}`),
    ...subKept.map((x) => `max(u.${x}) as ${x}`),
  ];
  return `select u.agency_id, max(u.level) as level, ${shown.join(', ')}
         from (${branch('o.agency_id', 'null::int', 'null::text', fromOwn)} from own o
               union all ${branch('sub.id', 'null::int', 'null::text', fromSub)} from sub
               union all ${branch('s.id', 'nlevel(s.path)', 's.code', {})} from scope s${c.where ? ` where ${c.where}` : ''}) u
        group by u.agency_id
       having count(u.level) > 0
        order by max(u.level), max(u.code)`;
}

/** Which columns of a roll-up row to read: the agency's own (`own_`), its subtree's (`sub_`), or unprefixed. */
export type RollupPrefix = '' | 'own_' | 'sub_';

/**
 * A reader of the counters `columns` from a roll-up row (as {@link rollupRowsSql} returns them):
 * `pick(row, 'own_')` gives each column's number, 0 when null. The prefixed names are built once,
 * not per row and column: a province's roll-up reads hundreds of rows.
 */
export function rollupPicker<C extends string>(columns: readonly C[]): (row: Readonly<Record<string, unknown>>, prefix: RollupPrefix) => Record<C, number> {
  const keys = new Map((['', 'own_', 'sub_'] as const).map((prefix) => [prefix, columns.map((c) => [c, `${prefix}${c}`] as const)]));
  return (row, prefix) => {
    const out = {} as Record<C, number>;
    for (const [c, key] of keys.get(prefix)!) {
      const value = row[key];
      out[c] = value == null ? 0 : Number(value);
    }
    return out;
  };
}
