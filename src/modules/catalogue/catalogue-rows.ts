import type { DeadlineRule } from '../calendar/deadline-rule';
import { SHEET_HEADERS, type SheetColumn, type SheetProblem, type SheetRow } from './catalogue-sheet';
import { formatTimeLimit, parseTimeLimit, type TimeLimitEvent } from './time-limit-parser';
import { matchUnits, type KnownUnit } from './unit-matcher';

/** One sheet row understood as a catalogue item; problems are reported beside it, never guessed away. */

export type DisclosureType = 'DECISION' | 'EXECUTION' | 'MANAGEMENT' | 'SERVICE' | 'RESULT' | 'POLICY';

export interface ItemDraft {
  rowNumber: number;
  category: string;
  name: string;
  content: string;
  disclosureType: DisclosureType | null;
  unitsText: string;
  unitIds: string[];
  unknownUnits: string[];
  timeLimitText: string;
  deadlineRule: DeadlineRule | null;
  deadlineEvent: TimeLimitEvent | null;
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

export function parseDisclosureType(text: string): DisclosureType | null | 'INVALID' {
  const t = text.replace(/\s+/g, '');
  if (!t) return null;
  for (const [type, zh] of Object.entries(TYPE_NAMES) as Array<[DisclosureType, string]>) {
    if (t === zh || t === zh.slice(0, 2)) return type;
  }
  return 'INVALID';
}

export function splitChannels(text: string): string[] {
  return [...new Set(text.split(/[、，,；;/\n]+/).map((c) => c.trim()).filter(Boolean))];
}

const LIMITS: Array<[SheetColumn, number, string]> = [
  ['category', 100, 'CATEGORY_TOO_LONG'],
  ['name', 200, 'NAME_TOO_LONG'],
  ['content', 2000, 'CONTENT_TOO_LONG'],
  ['units', 500, 'UNITS_TOO_LONG'],
  ['timeLimit', 200, 'TIME_LIMIT_TOO_LONG'],
  ['audience', 100, 'AUDIENCE_TOO_LONG'],
  ['websiteColumn', 300, 'COLUMN_TOO_LONG'],
];

export function rowsToDrafts(rows: SheetRow[], known: KnownUnit[]): { drafts: ItemDraft[]; problems: SheetProblem[] } {
  const drafts: ItemDraft[] = [];
  const problems: SheetProblem[] = [];
  const firstRowOf = new Map<string, number>();
  const add = (row: number, col: SheetColumn, severity: SheetProblem['severity'], code: string, message: string, value?: string) =>
    problems.push({ row, column: SHEET_HEADERS[col], field: col, severity, code, message, ...(value !== undefined ? { value } : {}) });

  for (const { rowNumber: row, cells } of rows) {
    let ok = true;
    if (!cells.name) {
      add(row, 'name', 'ERROR', 'EMPTY_NAME', '目录名称为空 (empty item name)');
      ok = false;
    }
    for (const [col, max, code] of LIMITS) {
      if (cells[col].length > max) {
        add(row, col, 'ERROR', code, `超过 ${max} 个字符 (longer than ${max} characters)`);
        ok = false;
      }
    }
    const type = parseDisclosureType(cells.disclosureType);
    if (type === 'INVALID') {
      add(row, 'disclosureType', 'ERROR', 'INVALID_DISCLOSURE_TYPE', `无法识别的政务五公开类型“${cells.disclosureType}” (unknown type)`, cells.disclosureType);
      ok = false;
    }
    const key = `${cells.category}\u0000${cells.name}`;
    if (cells.name && firstRowOf.has(key)) {
      add(row, 'name', 'ERROR', 'DUPLICATE_ITEM', `与第 ${firstRowOf.get(key)} 行的类别和名称重复 (duplicate of row ${firstRowOf.get(key)})`, cells.name);
      ok = false;
    } else firstRowOf.set(key, row);

    const units = matchUnits(cells.units, known);
    for (const u of units.unknown) add(row, 'units', 'ERROR', 'UNKNOWN_UNIT', `本机关没有名为“${u}”的单位 (unknown unit)`, u);
    for (const c of units.collective) {
      add(row, 'units', 'WARNING', 'COLLECTIVE_UNIT', `“${c}”为概括性表述，保留原文，不关联具体单位 (collective phrase kept as text)`, c);
    }
    const limit = parseTimeLimit(cells.timeLimit);
    if (!cells.timeLimit) add(row, 'timeLimit', 'WARNING', 'EMPTY_TIME_LIMIT', '未填写公开时限 (no time limit)');
    else if (!limit.rule) add(row, 'timeLimit', 'WARNING', 'UNPARSED_TIME_LIMIT', limit.warning ?? '无法识别公开时限 (time limit not recognised)', cells.timeLimit);
    if (!ok) continue;
    drafts.push({
      rowNumber: row,
      category: cells.category,
      name: cells.name,
      content: cells.content,
      disclosureType: type as DisclosureType | null,
      unitsText: cells.units,
      unitIds: units.units.map((u) => u.id),
      unknownUnits: units.unknown,
      timeLimitText: cells.timeLimit,
      deadlineRule: limit.rule,
      deadlineEvent: limit.event,
      timeLimitWarning: limit.rule ? null : (limit.warning ?? (cells.timeLimit ? null : '未填写公开时限 (no time limit)')),
      channels: splitChannels(cells.channels),
      audience: cells.audience,
      legalBasis: cells.legalBasis,
      websiteColumn: cells.websiteColumn,
    });
  }
  return { drafts, problems };
}

export function draftToSheetRow(d: {
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
}): Record<SheetColumn, string> {
  return {
    category: d.category,
    name: d.name,
    content: d.content,
    disclosureType: d.disclosureType ? TYPE_NAMES[d.disclosureType] : '',
    units: d.unitsText,
    timeLimit: d.timeLimitText || (d.deadlineRule ? formatTimeLimit(d.deadlineRule, d.deadlineEvent) : ''),
    channels: d.channels.join('、'),
    audience: d.audience,
    legalBasis: d.legalBasis,
    websiteColumn: d.websiteColumn,
  };
}
