import { charLength, cleanCellText } from '../../spreadsheets/cell-text';
import type { SheetProblem } from '../../spreadsheets/sheet-reader';
import { matchUnits, type KnownUnit } from '../catalogue/unit-matcher';
import { PLAN_SHEET_HEADERS, type PlanSheetColumn, type PlanSheetRow } from './plan-sheet';

/**
 * The rows of a 分工方案 understood as a work plan: headings (工作要求 → 具体任务) and numbered tasks
 * with their units and deadline text. Whatever cannot be read with confidence is reported beside the
 * row, with its row number, column and offending text, never guessed away, so that a person fixes
 * the file once with the complete list in hand.
 *
 * Pure: no I/O.
 */

export interface PlanHeadingDraft {
  /** Level 1: its full text; level 2: `${level-1 full text}\u0000${own full text}` (see {@link planHeadingText}). */
  key: string;
  level: 1 | 2;
  /** "一" for level 1, "（一）" for level 2, '' when the cell carries no recognisable number. */
  number: string;
  title: string;
  parentKey: string | null;
  /** The first row that names it. */
  rowNumber: number;
}

export interface PlanTaskDraft {
  rowNumber: number;
  /** "28" for "28." or "（28）"; '' when the cell gives none (the caller numbers it). */
  number: string;
  /** The first sentence, at most {@link TITLE_MAX} characters. */
  title: string;
  /** The full text without its number. */
  requirement: string;
  /** Innermost heading. */
  headingKey: string | null;
  /** As written (collective phrases and short names included), for export. */
  leadUnitsText: string;
  leadUnitIds: string[];
  /** Names found in no unit name or alias; the caller may create them. */
  leadUnknown: string[];
  cooperatingUnitsText: string;
  cooperatingUnitIds: string[];
  cooperatingUnknown: string[];
  /** The 完成时限 cell, '' when absent. */
  timingText: string;
  /** Tasks split from the same 具体要求 cell share it. */
  cellGroup: number;
}

/** What an export needs of a stored task. */
export interface ExportableTask {
  /** Full heading texts including their numbers ({@link planHeadingText}), outermost first. */
  headingPath: [string | null, string | null];
  number: string;
  requirement: string;
  leadUnitsText: string;
  cooperatingUnitsText: string;
  timingText: string;
}

/* ------------------------------------------------------------------------------------------------
 * Headings
 * ---------------------------------------------------------------------------------------------- */

const CHINESE_NUMERAL = '[一二三四五六七八九十百零〇两]+';
const LEVEL_1_NUMBER = new RegExp(`^(${CHINESE_NUMERAL})\\s*[、.．]\\s*`);
const LEVEL_2_NUMBER = new RegExp(`^[（(]\\s*(${CHINESE_NUMERAL})\\s*[）)]\\s*`);

/**
 * The one way a heading is written, whatever the file had ("一.标题", "(一)标题"), so that the same
 * heading typed twice is one heading and a plan always exports the same text.
 */
export function planHeadingText(level: 1 | 2, number: string, title: string): string {
  if (number === '') return title;
  return level === 1 ? `${number}、${title}` : `${number}${title}`;
}

/** "一、优化政务公开工作基础" → 一 / 优化政务公开工作基础; "（一）深化…" or "(一)深化…" → （一） / 深化…. */
export function parseHeading(level: 1 | 2, text: string): { number: string; title: string; fullText: string } {
  const t = text.trim();
  const m = (level === 1 ? LEVEL_1_NUMBER : LEVEL_2_NUMBER).exec(t);
  if (!m || m[1] === undefined) return { number: '', title: t, fullText: t };
  const number = level === 1 ? m[1] : `（${m[1]}）`;
  const title = t.slice(m[0].length).trim();
  return { number, title, fullText: planHeadingText(level, number, title) };
}

/* ------------------------------------------------------------------------------------------------
 * Tasks inside one 具体要求 cell
 * ---------------------------------------------------------------------------------------------- */

/**
 * A task number: "1." "1．" "1、" or "（1）", at the start of the cell, of a line, or of a sentence
 * (document 003 puts task 29 on the line after task 28, and cleaning a cell may join the lines).
 * Not after "；" or "：", where a task's own sub-items ("（1）…；（2）…") are listed, and never
 * "1.5倍".
 */
const TASK_MARKER = /(?<=^|\n[ \t\u3000]*|[。！？!?][ \t\u3000]*)(?:([0-9０-９]{1,3})([.．、])(?![0-9０-９])|[（(]([0-9０-９]{1,3})[)）])/g;

type MarkerStyle = '.' | '、' | '()';

interface Marker {
  index: number;
  length: number;
  text: string;
  number: number;
  style: MarkerStyle;
}

function asciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

export type SplitResult =
  | { ok: true; tasks: Array<{ number: string; text: string }> }
  | { ok: false; reason: 'TEXT_BEFORE_NUMBER' | 'NOT_INCREASING'; marker: string; previous?: string };

/**
 * Splits one 具体要求 cell into its numbered tasks. The style of the first number ("1." or "1、"
 * or "（1）") is the style of the cell's tasks; numbers in another style belong to a task's text.
 */
export function splitRequirements(cell: string): SplitResult {
  const text = cell.trim();
  const markers: Marker[] = [...text.matchAll(TASK_MARKER)].map((m) => ({
    index: m.index,
    length: m[0].length,
    text: m[0],
    number: Number(asciiDigits(m[1] ?? m[3] ?? '')),
    style: m[3] !== undefined ? '()' : m[2] === '、' ? '、' : '.',
  }));
  const first = markers[0];
  if (!first) return { ok: true, tasks: [{ number: '', text: cleanCellText(text) }] };
  if (first.index !== 0) return { ok: false, reason: 'TEXT_BEFORE_NUMBER', marker: first.text };
  const own = markers.filter((m) => m.style === first.style);
  for (let i = 1; i < own.length; i++) {
    const [previous, current] = [own[i - 1], own[i]];
    if (previous && current && current.number <= previous.number) {
      return { ok: false, reason: 'NOT_INCREASING', marker: current.text, previous: previous.text };
    }
  }
  return {
    ok: true,
    tasks: own.map((m, i) => ({
      number: String(m.number),
      text: cleanCellText(text.slice(m.index + m.length, own[i + 1]?.index ?? text.length)),
    })),
  };
}

/** Longest task title; the full text stays in `requirement`. */
export const TITLE_MAX = 60;

/**
 * The first sentence, up to the first 。；; or line break. A longer one is cut at its last comma
 * within {@link TITLE_MAX} characters, so that the title reads as a phrase; without such a comma it
 * is cut hard and ends in '…'.
 */
export function taskTitle(requirement: string): string {
  const sentence = requirement
    .split(/[。；;\n]/)
    .map((s) => s.trim())
    .find((s) => s !== '');
  if (sentence === undefined) return '';
  const chars = [...sentence];
  if (chars.length <= TITLE_MAX) return sentence;
  const head = chars.slice(0, TITLE_MAX).join('');
  const comma = Math.max(head.lastIndexOf('，'), head.lastIndexOf(','));
  if (comma > 0) return head.slice(0, comma).trim();
  return `${chars.slice(0, TITLE_MAX - 1).join('')}…`;
}

/* ------------------------------------------------------------------------------------------------
 * Rows → plan
 * ---------------------------------------------------------------------------------------------- */

/** A cell excerpt for a message: whole cells of several tasks would drown the report. */
function excerpt(text: string, max = 40): string {
  return charLength(text) <= max ? text : `${[...text].slice(0, max).join('')}…`;
}

export function rowsToPlanDraft(
  rows: PlanSheetRow[],
  known: KnownUnit[],
): { headings: PlanHeadingDraft[]; tasks: PlanTaskDraft[]; problems: SheetProblem[] } {
  const headings: PlanHeadingDraft[] = [];
  const tasks: PlanTaskDraft[] = [];
  const problems: SheetProblem[] = [];
  const add = (row: number, field: PlanSheetColumn, code: string, message: string, value?: string): void => {
    problems.push({
      row,
      column: PLAN_SHEET_HEADERS[field],
      field,
      severity: 'ERROR',
      code,
      message,
      ...(value !== undefined ? { value } : {}),
    });
  };

  const headingByKey = new Map<string, PlanHeadingDraft>();
  const heading = (level: 1 | 2, text: string, parent: PlanHeadingDraft | null, rowNumber: number): PlanHeadingDraft => {
    const { number, title, fullText } = parseHeading(level, text);
    const key = level === 1 ? fullText : `${parent?.key ?? ''}\u0000${fullText}`;
    let h = headingByKey.get(key);
    if (!h) {
      h = { key, level, number, title, parentKey: level === 1 ? null : (parent?.key ?? null), rowNumber };
      headingByKey.set(key, h);
      headings.push(h);
    }
    return h;
  };

  let level1: PlanHeadingDraft | null = null;
  let level2: PlanHeadingDraft | null = null;
  let cellGroup = 0;
  const firstRowOfNumber = new Map<string, number>();

  for (const { rowNumber: row, cells, merged } of rows) {
    // A blank or merged heading cell continues the heading above. A blank 具体任务 continues the one
    // above only under the same 工作要求: under a new one it means that the tasks hang directly under
    // the 工作要求 (document 003, items 37–40 under "五、").
    let level1Changed = false;
    if (cells.requirementHeading !== '') {
      const h = heading(1, cells.requirementHeading, null, row);
      level1Changed = h !== level1;
      level1 = h;
    }
    if (cells.taskHeading !== '') level2 = heading(2, cells.taskHeading, level1, row);
    else if (level1Changed) level2 = null;

    // The reader has reported the merge (MERGED_CELL_UNEXPECTED); reading its tasks again on every
    // row of the merge would only add duplicates to the report.
    if (merged.requirements) continue;

    const requirements = cells.requirements;
    if (requirements === '') {
      // A row with headings only introduces the tasks below it. Units or a deadline without any task
      // are a task whose text was forgotten or put in the wrong column.
      const stray = (['leadUnits', 'cooperatingUnits', 'timing'] as const).find((f) => cells[f] !== '' && !merged[f]);
      if (stray) add(row, 'requirements', 'EMPTY_REQUIREMENTS', `本行填写了“${PLAN_SHEET_HEADERS[stray]}”，但“具体要求”为空 (no task text on this row)`);
      continue;
    }

    const lead = matchUnits(cells.leadUnits, known);
    const cooperating = matchUnits(cells.cooperatingUnits, known);
    // A merged unit cell is reported once, on the row where a person finds its text.
    for (const [field, match] of [['leadUnits', lead], ['cooperatingUnits', cooperating]] as const) {
      if (merged[field]) continue;
      for (const name of match.unknown) {
        add(row, field, 'UNKNOWN_UNIT', `本机关没有名为“${name}”的单位，请核对名称或先添加该单位 (unknown unit)`, name);
      }
    }
    if (lead.units.length + lead.collective.length + lead.unknown.length === 0) {
      add(row, 'leadUnits', 'NO_LEAD_UNIT', '未填写牵头落实单位，每项任务至少需要一个牵头单位 (no lead unit)');
    }

    const split = splitRequirements(requirements);
    if (!split.ok) {
      const message =
        split.reason === 'TEXT_BEFORE_NUMBER'
          ? `“具体要求”中编号“${split.marker}”之前还有文字，无法确定任务的划分，请为每项任务编号或删去多余文字 (text before the first task number): ${excerpt(requirements)}`
          : `“具体要求”中编号“${split.marker}”排在“${split.previous ?? ''}”之后，编号应逐项递增 (task numbers must increase within a cell)`;
      add(row, 'requirements', 'TASK_NUMBERING', message, split.marker);
      continue;
    }
    const group = cellGroup++;
    for (const t of split.tasks) {
      if (t.text === '') {
        add(row, 'requirements', 'EMPTY_TASK', `任务“${t.number}”只有编号，没有内容 (task number without text)`, t.number);
        continue;
      }
      if (t.number !== '') {
        const first = firstRowOfNumber.get(t.number);
        if (first !== undefined) {
          add(
            row,
            'requirements',
            'DUPLICATE_TASK_NUMBER',
            `任务编号“${t.number}”与第 ${first} 行重复，同一方案中的任务编号不能重复 (task number already used on row ${first})`,
            t.number,
          );
        } else firstRowOfNumber.set(t.number, row);
      }
      tasks.push({
        rowNumber: row,
        number: t.number,
        title: taskTitle(t.text),
        requirement: t.text,
        headingKey: (level2 ?? level1)?.key ?? null,
        leadUnitsText: cells.leadUnits,
        leadUnitIds: lead.units.map((u) => u.id),
        leadUnknown: lead.unknown,
        cooperatingUnitsText: cells.cooperatingUnits,
        cooperatingUnitIds: cooperating.units.map((u) => u.id),
        cooperatingUnknown: cooperating.unknown,
        timingText: cells.timing,
        cellGroup: group,
      });
    }
  }
  return { headings, tasks, problems };
}

/* ------------------------------------------------------------------------------------------------
 * Plan → rows
 * ---------------------------------------------------------------------------------------------- */

/**
 * One row per task, headings written out on every row (the XLSX writer merges the repeats), units
 * and deadline as the agency wrote them, so that an export re-imports to the same plan.
 *
 * The table shape cannot say everything: a task directly under a 工作要求 that follows tasks under
 * one of its 具体任务 (or a 具体任务 without 工作要求 after one with) would read back under the
 * heading above it. Plans list such tasks first, as document 003 does.
 */
export function planToSheetRows(tasks: ExportableTask[]): Array<Record<PlanSheetColumn, string>> {
  return tasks.map((t) => ({
    requirementHeading: t.headingPath[0] ?? '',
    taskHeading: t.headingPath[1] ?? '',
    requirements: t.number !== '' ? `${t.number}.${t.requirement}` : t.requirement,
    leadUnits: t.leadUnitsText,
    cooperatingUnits: t.cooperatingUnitsText,
    timing: t.timingText,
  }));
}
