/**
 * 公开主体 cells name responsible units the way people write them: several units separated by 、,
 * short names (宣传科 for 指挥中心宣传科), and collective phrases that stand for no single unit
 * (各派出所, 局属有关单位, "刑侦大队等重大决策执行涉及警种单位"). This resolves a cell against an
 * agency's units without guessing: what matches no name or alias and is not a collective phrase is
 * reported as unknown, so that a person decides (create the unit, add an alias, or fix the cell).
 *
 * Pure: no I/O.
 */

export interface KnownUnit {
  id: string;
  name: string;
  aliases: string[];
}

export interface UnitMatch {
  /** Resolved units, each once, in the order the cell first names them. */
  units: Array<{ id: string; name: string; matchedText: string }>;
  /** Collective phrases, verbatim (including "等…" tails such as "等有关科室"), each once. */
  collective: string[];
  /** Parts that are neither a known unit nor a collective phrase, each once. */
  unknown: string[];
}

/** 、 is the documents' own separator; the others turn up in tables typed by hand. */
const PUNCTUATION_SEPARATORS = /[、，,；;/／]+/;
const WHITESPACE = /\s+/;

function splitOn(text: string, separators: RegExp): string[] {
  return text
    .split(separators)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * Splits on 、，,；;/ and on whitespace, which people use to line units up ("治安大队 户籍科").
 * {@link matchUnits} is more careful with whitespace: a known unit whose name contains a space
 * stays whole.
 */
export function splitUnitsText(text: string): string[] {
  return splitOn(text, PUNCTUATION_SEPARATORS).flatMap((p) => splitOn(p, WHITESPACE));
}

/**
 * Collective phrases seen in the source documents (union of seeds/data/collective-unit-phrases.json
 * over all agencies; a unit test keeps the two in step). Kept here rather than read from seeds/ so
 * that src/ does not depend on seed files at run time. Several of these ("分局", "警种", "业务部门")
 * are caught by no general rule below.
 */
const KNOWN_COLLECTIVE_PHRASES: ReadonlySet<string> = new Set([
  '各区市局',
  '分局',
  '市局各部门',
  '警种',
  '业务部门',
  '局属各单位',
  '局属有关单位',
  '局属各责任单位',
  '各单位',
  '各有关单位',
  '各责任单位',
  '各栏目责任单位',
  '各任务责任单位',
  '相关警种单位',
  '机关警种部门',
  '重大决策执行涉及警种单位',
  '政策文件涉及的警种单位',
  '发文提出部门',
  '牵头起草部门',
  '各派出所',
  '有关科室',
  '局直各单位',
  '局直相关单位',
]);

/**
 * General shapes of "several/all units": a quantifier in front (各 every, 局属/局直 belonging to the
 * bureau, 相关/有关 relevant, 机关 organ-level, 其他/所有) or a generic noun at the end. A real unit
 * that happens to start this way (e.g. a unit named 机关党委) is still matched, because exact names and
 * aliases are tried first.
 */
const COLLECTIVE_PREFIX = /^(各|局属|局直|相关|有关|机关|其他|其它|所有)/;
const COLLECTIVE_SUFFIX =
  /(有关科室|相关科室|有关单位|相关单位|有关部门|相关部门|警种单位|警种部门|各单位|各部门|责任单位|涉及部门|提出部门|起草部门)$/;

export function isCollectivePhrase(part: string): boolean {
  const p = part.trim();
  if (p === '') return false;
  // A bare "等…" tail ("等有关科室") only ever widens a unit named before it.
  return KNOWN_COLLECTIVE_PHRASES.has(p) || p.startsWith('等') || COLLECTIVE_PREFIX.test(p) || COLLECTIVE_SUFFIX.test(p);
}

/**
 * Lookup key: tables mix full- and half-width parentheses and quotes around the same name
 * (“平安厅” / "平安厅"), which should not make a unit unknown.
 */
function key(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/[“”＂]/g, '"')
    .replace(/[‘’＇]/g, "'");
}

export function matchUnits(text: string, known: KnownUnit[]): UnitMatch {
  const index = new Map<string, KnownUnit>();
  // Names win over aliases: an alias equal to another unit's name must not shadow that unit.
  for (const u of known) index.set(key(u.name), u);
  for (const u of known) for (const a of u.aliases) if (!index.has(key(a))) index.set(key(a), u);

  const result: UnitMatch = { units: [], collective: [], unknown: [] };
  const seenUnits = new Set<string>();
  const addCollective = (t: string): void => {
    if (!result.collective.includes(t)) result.collective.push(t);
  };
  const take = (part: string): void => {
    const unit = index.get(key(part));
    if (unit) {
      if (!seenUnits.has(unit.id)) {
        seenUnits.add(unit.id);
        result.units.push({ id: unit.id, name: unit.name, matchedText: part });
      }
    } else if (isCollectivePhrase(part)) {
      addCollective(part);
    } else if (!result.unknown.includes(part)) {
      result.unknown.push(part);
    }
  };

  // Whitespace separates units only where the text between separators is not itself a unit name.
  const parts = splitOn(text, PUNCTUATION_SEPARATORS).flatMap((p) => (index.has(key(p)) ? [p] : splitOn(p, WHITESPACE)));
  for (const part of parts) {
    // A whole part that is a unit name wins, in case a name itself contains 等.
    if (index.has(key(part))) {
      take(part);
      continue;
    }
    // "X等Y": X is a unit (or a collective), "等Y" widens it to unnamed others.
    const at = part.indexOf('等');
    if (at > 0) {
      take(part.slice(0, at));
      addCollective(part.slice(at));
      continue;
    }
    take(part);
  }
  return result;
}
