import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields a query selects below the current field, along `path` (field names, not
 * aliases): e.g. `['items', 'item']` inside `publicationCompliance { items { item { id name } } }`
 * gives {id, name}. Every occurrence is merged (aliases, repeated fields, fragment spreads and
 * inline fragments whatever their type condition), and `@skip` / `@include` are not evaluated: the
 * answer is a superset of what is resolved, which is what a read that loads only the columns asked
 * for needs. An empty set means the path is not selected at all.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    level = level.flatMap((node) => fieldsOf(node.selectionSet, info.fragments)).filter((f) => f.name.value === name);
  }
  return new Set(level.flatMap((node) => fieldsOf(node.selectionSet, info.fragments)).map((f) => f.name.value));
}

function fieldsOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, fragments, seen);
    // Validation already refuses fragment cycles; `seen` keeps this walk finite regardless.
    if (seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    return fieldsOf(fragments[s.name.value]?.selectionSet, fragments, seen);
  });
}
