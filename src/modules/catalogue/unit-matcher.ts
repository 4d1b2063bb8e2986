/**
 * 公开主体 cells name responsible units the way people write them: several units separated by 、,
 * short names (宣传科 for 指挥中心宣传科), and collective phrases that stand for no single unit
 * (各派出所, 局属有关单位, "刑侦大队等重大决策执行涉及警种单位"). This resolves a cell against an
 * agency's units without guessing: what matches no name or alias is reported as unknown.
 */

export interface KnownUnit {
  id: string;
  name: string;
  aliases: string[];
}

export interface UnitMatch {
  units: Array<{ id: string; name: string; matchedText: string }>;
  collective: string[];
  unknown: string[];
}

const SEPARATORS = /[、，,；;/\n]+/;

export function splitUnitsText(text: string): string[] {
  return text
    .split(SEPARATORS)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Phrases meaning "several or all units" rather than one (from the documents' own usage). */
const COLLECTIVE_PREFIX = /^(各|局属|相关|有关|机关|其他|所有)/;
const COLLECTIVE_SUFFIX = /(有关科室|有关单位|有关部门|警种单位|警种部门|各单位|责任单位|涉及部门|提出部门|起草部门)$/;

export function isCollectivePhrase(part: string): boolean {
  return COLLECTIVE_PREFIX.test(part) || COLLECTIVE_SUFFIX.test(part) || part.startsWith('等');
}

export function matchUnits(text: string, known: KnownUnit[]): UnitMatch {
  const index = new Map<string, KnownUnit>();
  for (const u of known) {
    index.set(u.name, u);
    for (const a of u.aliases) if (!index.has(a)) index.set(a, u);
  }
  const result: UnitMatch = { units: [], collective: [], unknown: [] };
  const seen = new Set<string>();
  const take = (part: string) => {
    const unit = index.get(part);
    if (unit) {
      if (!seen.has(unit.id)) {
        seen.add(unit.id);
        result.units.push({ id: unit.id, name: unit.name, matchedText: part });
      }
    } else if (isCollectivePhrase(part)) {
      result.collective.push(part);
    } else {
      result.unknown.push(part);
    }
  };
  for (const part of splitUnitsText(text)) {
    if (index.has(part)) {
      take(part);
      continue;
    }
    // "X等Y": X is a unit (or a collective), "等Y" widens it to unnamed others.
    const at = part.indexOf('等');
    if (at > 0) {
      take(part.slice(0, at));
      result.collective.push(part.slice(at));
      continue;
    }
    take(part);
  }
  return result;
}
