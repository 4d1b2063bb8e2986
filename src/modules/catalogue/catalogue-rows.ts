import type { DeadlineRule } from '../calendar/deadline-rule';
import { SHEET_HEADERS, type SheetColumn, type SheetProblem, type SheetRow } from './catalogue-sheet';
import { formatTimeLimit, parseTimeLimit, type TimeLimitEvent } from './time-limit-parser';
import { matchUnits, type KnownUnit } from './unit-matcher';

/**
 * One sheet row understood as a catalogue item. Whatever cannot be read with confidence is reported
 * beside the row (with its row number, column and offending text), never guessed away: the importer
 * is all-or-nothing, so a person fixes the file once with the complete list in hand.
 *
 * Pure: no I/O.
 */

export type DisclosureType = 'DECISION' | 'EXECUTION' | 'MANAGEMENT' | 'SERVICE' | 'RESULT' | 'POLICY';

export interface ItemDraft {
  rowNumber: number;
  category: string;
  name: string;
  content: string;
  /** Null when the cell is empty (the 兖州 table leaves four blank). */
  disclosureType: DisclosureType | null;
  /** 公开主体 exactly as written (collective phrases and short names included), for export. */
  unitsText: string;
  /** Units resolved from {@link unitsText}, each once. */
  unitIds: string[];
  /** Unit names found in no name or alias; the caller may create them. */
  unknownUnits: string[];
  timeLimitText: string;
  deadlineRule: DeadlineRule | null;
  deadlineEvent: TimeLimitEvent | null;
  /** Why {@link deadlineRule} is null (Chinese), or null when it was read. */
  timeLimitWarning: string | null;
  channels: string[];
  audience: string;
  legalBasis: string;
  websiteColumn: string;
}

const TYPE_NAMES: Record<DisclosureType, string> = {
  DECISION: '决策公开',
  EXECUTION: '执行公开',
  MANAGEMENT: '管理公开',
  SERVICE: '服务公开',
  RESULT: '结果公开',
  POLICY: '政策公开',
};

const TYPE_BY_TEXT: ReadonlyMap<string, DisclosureType> = new Map(
  (Object.entries(TYPE_NAMES) as Array<[DisclosureType, string]>).flatMap(([type, zh]) => [
    [zh, type],
    // "决策", "结果" … — the short form is common in hand-made tables.
    [zh.slice(0, 2), type],
  ]),
);

/**
 * 决策公开/决策 → DECISION, 执行公开 → EXECUTION, 管理公开 → MANAGEMENT, 服务公开 → SERVICE,
 * 结果公开 → RESULT, 政策公开 → POLICY (not one of the "five", but the 兖州 table uses it);
 * '' → null; anything else → 'INVALID'.
 */
export function parseDisclosureType(text: string): DisclosureType | null | 'INVALID' {
  const t = text.replace(/\s+/g, '');
  if (t === '') return null;
  return TYPE_BY_TEXT.get(t) ?? 'INVALID';
}

/** "政府网站、政务微信" → ['政府网站', '政务微信']; duplicates dropped. */
export function splitChannels(text: string): string[] {
  const parts = text
    .split(/[、，,；;/／\n]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return [...new Set(parts)];
}

/**
 * Lengths the database columns take (catalogue-item.entity.ts), checked here so that a long cell is
 * a row problem rather than a failed transaction.
 */
const LIMITS: ReadonlyArray<readonly [SheetColumn, number, string, string]> = [
  ['category', 100, 'CATEGORY_TOO_LONG', '目录类别'],
  ['name', 200, 'NAME_TOO_LONG', '目录名称'],
  ['content', 2000, 'CONTENT_TOO_LONG', '公开内容'],
  ['units', 500, 'UNITS_TOO_LONG', '公开主体'],
  ['timeLimit', 200, 'TIME_LIMIT_TOO_LONG', '公开时限'],
  ['audience', 100, 'AUDIENCE_TOO_LONG', '公开对象'],
  ['legalBasis', 2000, 'LEGAL_BASIS_TOO_LONG', '公开依据'],
  ['websiteColumn', 300, 'WEBSITE_COLUMN_TOO_LONG', '网站栏目'],
];

/** Characters as a person counts them (a rare CJK extension character is one, not two UTF-16 units). */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function rowsToDrafts(rows: SheetRow[], known: KnownUnit[]): { drafts: ItemDraft[]; problems: SheetProblem[] } {
  const drafts: ItemDraft[] = [];
  const problems: SheetProblem[] = [];
  const firstRowOf = new Map<string, number>();
  const add = (
    row: number,
    field: SheetColumn,
    severity: SheetProblem['severity'],
    code: string,
    message: string,
    value?: string,
  ): void => {
    problems.push({ row, column: SHEET_HEADERS[field], field, severity, code, message, ...(value !== undefined ? { value } : {}) });
  };

  for (const { rowNumber: row, cells } of rows) {
    // A row with an ERROR gives no draft; later checks still run so that the report is complete.
    let ok = true;
    // An empty category is reported by readCatalogueSheet (EMPTY_CATEGORY); it only blocks the draft here.
    if (cells.category === '') ok = false;
    if (cells.name === '') {
      add(row, 'name', 'ERROR', 'EMPTY_NAME', '目录名称为空 (empty item name)');
      ok = false;
    }
    for (const [field, max, code, label] of LIMITS) {
      const n = length(cells[field]);
      if (n > max) {
        add(row, field, 'ERROR', code, `${label}有 ${n} 个字，超过 ${max} 个字的上限 (longer than ${max} characters)`, cells[field]);
        ok = false;
      }
    }

    const type = parseDisclosureType(cells.disclosureType);
    if (type === 'INVALID') {
      add(
        row,
        'disclosureType',
        'ERROR',
        'INVALID_DISCLOSURE_TYPE',
        `无法识别的政务五公开类别“${cells.disclosureType}”，应为决策公开、执行公开、管理公开、服务公开、结果公开或政策公开之一，也可留空 (unknown disclosure type)`,
        cells.disclosureType,
      );
      ok = false;
    }

    if (cells.name !== '') {
      const key = `${cells.category}\u0000${cells.name}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) {
        add(
          row,
          'name',
          'ERROR',
          'DUPLICATE_ITEM',
          `第 ${row} 行与第 ${first} 行的目录类别和目录名称相同（“${cells.category}”/“${cells.name}”） (duplicate of row ${first})`,
          cells.name,
        );
        ok = false;
      } else firstRowOf.set(key, row);
    }

    const units = matchUnits(cells.units, known);
    if (cells.units.trim() === '') {
      add(row, 'units', 'WARNING', 'EMPTY_UNITS', '未填写公开主体（责任单位），该事项没有责任单位 (no responsible unit)');
    }
    for (const u of units.unknown) {
      add(row, 'units', 'ERROR', 'UNKNOWN_UNIT', `本机关没有名为“${u}”的单位，请核对名称或先添加该单位 (unknown unit)`, u);
    }
    for (const c of units.collective) {
      add(row, 'units', 'WARNING', 'COLLECTIVE_UNIT', `“${c}”是概括性表述，保留原文，不关联具体单位 (collective phrase kept as text, no unit linked)`, c);
    }

    const limit = parseTimeLimit(cells.timeLimit);
    if (cells.timeLimit.trim() === '') {
      add(row, 'timeLimit', 'WARNING', 'EMPTY_TIME_LIMIT', '未填写公开时限，需人工填写 (no time limit)');
    } else if (limit.rule === null) {
      add(row, 'timeLimit', 'WARNING', 'UNPARSED_TIME_LIMIT', `${limit.warning ?? '无法识别的公开时限'} (time limit not understood)`, cells.timeLimit);
    }

    if (!ok || type === 'INVALID') continue;
    drafts.push({
      rowNumber: row,
      category: cells.category,
      name: cells.name,
      content: cells.content,
      disclosureType: type,
      unitsText: cells.units,
      unitIds: units.units.map((u) => u.id),
      unknownUnits: units.unknown,
      timeLimitText: cells.timeLimit,
      deadlineRule: limit.rule,
      deadlineEvent: limit.event,
      timeLimitWarning: limit.warning,
      channels: splitChannels(cells.channels),
      audience: cells.audience,
      legalBasis: cells.legalBasis,
      websiteColumn: cells.websiteColumn,
    });
  }
  return { drafts, problems };
}

/** What an export needs of a stored item (a subset of {@link ItemDraft}). */
export interface ExportableItem {
  category: string;
  name: string;
  content: string;
  disclosureType: DisclosureType | null;
  unitsText: string;
  timeLimitText: string;
  deadlineRule: DeadlineRule | null;
  deadlineEvent: TimeLimitEvent | null;
  channels: string[];
  audience: string;
  legalBasis: string;
  websiteColumn: string;
}

/**
 * One item as a sheet row for export. The agency's own wording is kept (units as written, the time
 * limit as written) so that an export re-imports to the same item; only an item without wording
 * (created through the API) gets the canonical wording of its rule.
 */
export function draftToSheetRow(d: ExportableItem): Record<SheetColumn, string> {
  return {
    category: d.category,
    name: d.name,
    content: d.content,
    disclosureType: d.disclosureType === null ? '' : TYPE_NAMES[d.disclosureType],
    units: d.unitsText,
    timeLimit: d.timeLimitText !== '' ? d.timeLimitText : d.deadlineRule !== null ? formatTimeLimit(d.deadlineRule, d.deadlineEvent) : '',
    channels: d.channels.join('、'),
    audience: d.audience,
    legalBasis: d.legalBasis,
    websiteColumn: d.websiteColumn,
  };
}
