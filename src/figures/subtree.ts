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
