import type { DeadlineRule } from '../calendar/deadline-rule';
import type { DisclosureType, ItemDraft } from './catalogue-rows';
import type { TimeLimitEvent } from './time-limit-parser';

/**
 * What an imported row would make of an item, and which fields that changes. The importer writes only
 * the fields named here, so re-importing an unchanged export writes nothing and reports every item
 * UNCHANGED.
 *
 * Pure: no I/O.
 */

/** The stored values of an item an import compares (field names as on the GraphQL CatalogueItem). */
export interface ItemValues {
  position: number;
  content: string;
  disclosureType: DisclosureType | null;
  unitsText: string;
  /** Linked units (compared as a set; reported as `responsibleUnits`). */
  unitIds: string[];
  timeLimitText: string;
  deadlineRule: DeadlineRule | null;
  deadlineEvent: TimeLimitEvent | null;
  timeLimitWarning: string | null;
  channels: string[];
  audience: string;
  legalBasis: string;
  websiteColumn: string | null;
}

export type ItemField = Exclude<keyof ItemValues, 'unitIds'> | 'responsibleUnits';

/** Compared in this order, so the fields of a CHANGED item read like the table's columns. */
export const IMPORTED_FIELDS: readonly ItemField[] = [
  'position',
  'content',
  'disclosureType',
  'unitsText',
  'responsibleUnits',
  'timeLimitText',
  'deadlineRule',
  'deadlineEvent',
  'timeLimitWarning',
  'channels',
  'audience',
  'legalBasis',
  'websiteColumn',
];

/**
 * The values a row gives an item. A rule set by hand on wording the parser cannot read (the real
 * table's "动态跟新") is kept when the row carries that same wording: the export writes the wording
 * as written, so its re-import must not drop the rule again. `keptRule` says that happened.
 */
export function importedValues(
  d: ItemDraft,
  unitIds: string[],
  position: number,
  current: ItemValues | null,
): { values: ItemValues; keptRule: boolean } {
  const keptRule = !!current && current.deadlineRule !== null && d.deadlineRule === null && d.timeLimitText === current.timeLimitText;
  return {
    keptRule,
    values: {
      position,
      content: d.content,
      disclosureType: d.disclosureType ?? null,
      unitsText: d.unitsText,
      unitIds: [...new Set(unitIds)],
      timeLimitText: d.timeLimitText,
      deadlineRule: keptRule ? current!.deadlineRule : d.deadlineRule,
      deadlineEvent: keptRule ? current!.deadlineEvent : (d.deadlineEvent ?? null),
      timeLimitWarning: keptRule ? current!.timeLimitWarning : d.timeLimitWarning,
      channels: d.channels,
      audience: d.audience || '全社会',
      legalBasis: d.legalBasis,
      websiteColumn: d.websiteColumn || null,
    },
  };
}

/**
 * Rules compared by value, field by field: a rule read back from the jsonb column has its keys in
 * another order than one the parser built, so comparing their JSON text would see a change.
 */
export function sameRuleValue(a: DeadlineRule | null | undefined, b: DeadlineRule | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  return a.kind === b.kind && ['days', 'hours', 'month', 'day', 'maxAgeDays'].every((k) => (x[k] ?? null) === (y[k] ?? null));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(a);
  const t = new Set(b);
  return s.size === t.size && [...s].every((x) => t.has(x));
}

/** The fields whose values differ, in {@link IMPORTED_FIELDS} order; empty when nothing changes. */
export function changedFields(current: ItemValues, next: ItemValues): ItemField[] {
  return IMPORTED_FIELDS.filter((f) => {
    switch (f) {
      case 'responsibleUnits':
        return !sameSet(current.unitIds, next.unitIds);
      case 'deadlineRule':
        return !sameRuleValue(current.deadlineRule, next.deadlineRule);
      case 'channels':
        return !sameList(current.channels, next.channels);
      default:
        return (current[f] ?? null) !== (next[f] ?? null);
    }
  });
}
