/**
 * Scoring engine of the government-affairs openness assessment (政务公开考核) — pure: no database, no
 * clock, no I/O. The caller passes the scheme and the figures it gathered; the same inputs always give
 * the same score, so a published score can be recomputed and explained line by line.
 *
 * - Openness work is a share (at least 4 %, as the documents require: "分值不低于4%") of a unit's total
 *   performance score; a scheme scores it out of 100 and `contribution` converts back to that share.
 * - The indicator tree: GROUPs add up their children; COMPUTED leaves come from figures (a rate against
 *   a target, or a deduction per counted item); MANUAL leaves are scored by hand. BONUS points are
 *   capped and only granted from a base score threshold up; a single VETO item (一票否决) zeroes it all.
 * - Deductions found by inspections (察访核验) are subtracted from the indicator they were recorded
 *   against, never below 0: an indicator cannot lose more than it has, and the loss cannot spill over.
 * - All arithmetic runs in integer hundredths of a point, so a score of 100 is 10000 and sums of many
 *   indicators never drift (33.33 + 33.33 + 33.34 is exactly 100); each computed leaf is rounded half-up
 *   to hundredths once, where it is computed, and nothing is rounded again afterwards.
 * - Messages are Chinese first with English in parentheses, like the rest of the service.
 */

export type IndicatorKind = 'GROUP' | 'COMPUTED' | 'MANUAL' | 'BONUS' | 'VETO';
export type IndicatorMetric =
  // rate metrics: numerator / denominator
  | 'CATALOGUE_COVERAGE'
  | 'ON_TIME_PUBLICATION'
  | 'TASK_COMPLETION'
  | 'EXPLANATIONS_ON_TIME'
  | 'THIRD_PARTY_SCORE'
  // count metrics: a number of offending items
  | 'STALE_ITEMS'
  | 'EMPTY_ITEMS'
  | 'OVERDUE_TASKS'
  | 'LATE_EXPLANATIONS';

export const RATE_METRICS: readonly IndicatorMetric[] = Object.freeze([
  'CATALOGUE_COVERAGE',
  'ON_TIME_PUBLICATION',
  'TASK_COMPLETION',
  'EXPLANATIONS_ON_TIME',
  'THIRD_PARTY_SCORE',
] as const);
export const COUNT_METRICS: readonly IndicatorMetric[] = Object.freeze([
  'STALE_ITEMS',
  'EMPTY_ITEMS',
  'OVERDUE_TASKS',
  'LATE_EXPLANATIONS',
] as const);

export type IndicatorFormula = 'PROPORTIONAL' | 'DEDUCT_PER_COUNT';
export type Grade = 'EXCELLENT' | 'GOOD' | 'PASS' | 'FAIL';

export interface IndicatorDef {
  code: string;
  name: string;
  parentCode: string | null;
  kind: IndicatorKind;
  /** Points of a scored indicator; the maximum of a BONUS item; 0 for a VETO item. */
  weight: number;
  metric?: IndicatorMetric | null;
  formula?: IndicatorFormula | null;
  /** DEDUCT_PER_COUNT: points lost per counted item. */
  perCount?: number | null;
  /** PROPORTIONAL: the rate that earns full marks, in (0, 1]; 1 when absent. */
  target?: number | null;
}

export interface SchemeDef {
  /** Percent of the unit's total performance score that openness work weighs (≥ 4). */
  share: number;
  bonusCap: number;
  /** Bonus points only count when the base score reaches this. */
  bonusThreshold: number;
  excellentFrom: number;
  goodFrom: number;
  passFrom: number;
  indicators: IndicatorDef[];
}

/** `field` names the offending input, like 'input.share' or 'input.indicators[3].weight'. */
export interface SchemeProblem {
  field: string;
  message: string;
}

/** a rate metric gives numerator/denominator (denominator 0 = nothing to judge); a count metric gives count */
export type MetricValue = { numerator: number; denominator: number } | { count: number };

export interface ManualEntry {
  points?: number | null;
  vetoed?: boolean;
  note?: string | null;
}

/** Summed inspection deductions recorded against one indicator code. */
export interface DeductionSum {
  points: number;
  count: number;
}

export interface ScoringInputs {
  metrics: Partial<Record<IndicatorMetric, MetricValue>>;
  manual: Record<string, ManualEntry>;
  deductions: Record<string, DeductionSum>;
}

export interface IndicatorOutcome {
  code: string;
  name: string;
  kind: IndicatorKind;
  weight: number;
  metric: IndicatorMetric | null;
  /** Human-readable formula text, Chinese + English. */
  formula: string | null;
  value: MetricValue | null;
  rate: number | null;
  /** Points before deductions (null: a MANUAL or BONUS item not yet scored; for GROUP the sum of children's final points). */
  earned: number | null;
  /** Deductions actually applied here (capped at the points earned). */
  deducted: number;
  /** Deductions recorded against this code before capping. */
  deductionsRecorded: number;
  /** Final points (earned − deducted, never below 0); a BONUS item's own points before the scheme's cap; 0 for VETO. */
  points: number;
  vetoed: boolean;
  note: string | null;
}

export interface ScoreResult {
  /** Pre-order: parent before children, children in definition order. */
  indicators: IndicatorOutcome[];
  baseScore: number;
  bonusEarned: number;
  bonus: number;
  bonusApplied: boolean;
  deductions: number;
  vetoed: boolean;
  vetoCodes: string[];
  scoreBeforeVeto: number;
  score: number;
  grade: Grade;
  /** Points of the unit's total performance score: score × share / 100, 3 decimals. */
  contribution: number;
  missingManual: string[];
}

const KINDS: readonly IndicatorKind[] = ['GROUP', 'COMPUTED', 'MANUAL', 'BONUS', 'VETO'];
const SCORED_KINDS: readonly IndicatorKind[] = ['GROUP', 'COMPUTED', 'MANUAL'];
const FORMULAS: readonly IndicatorFormula[] = ['PROPORTIONAL', 'DEDUCT_PER_COUNT'];
const MIN_SHARE = 4;
const MAX_BONUS_CAP = 20;
const MAX_CODE_LENGTH = 20;
const MAX_DEPTH = 3;

/* ------------------------------------------------------------------------------------------------
 * Hundredths arithmetic.
 * ---------------------------------------------------------------------------------------------- */

/** Half-up (away from zero for the positive values used here); the tiny tolerance absorbs binary noise such as 62.49999999999999 for 62.5. */
function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5 + 1e-9 * Math.max(1, Math.abs(x)));
}

/** A value with at most 2 decimals (validated) to exact hundredths. */
function toH(points: number): number {
  return roundHalfUp(points * 100);
}

function fromH(h: number): number {
  return h / 100;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function hasAtMostTwoDecimals(v: number): boolean {
  return Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;
}

/** Strips binary noise for display: 0.95 × 100 is shown as 95, not 95.00000000000001. */
function show(v: number): string {
  return String(Number(v.toFixed(6)));
}

const isScored = (ind: IndicatorDef): boolean => SCORED_KINDS.includes(ind.kind);
const isTopLevel = (ind: IndicatorDef): boolean => ind.parentCode == null;

/* ------------------------------------------------------------------------------------------------
 * Validation.
 * ---------------------------------------------------------------------------------------------- */

export function validateScheme(def: SchemeDef): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field, message });
  };

  if (!isNumber(def.share)) add('input.share', '公开工作分值占比须为数字 (share must be a number)');
  else if (def.share < MIN_SHARE) add('input.share', '公开工作分值占比不得低于4% (share must be at least 4 %)');
  else if (def.share > 100) add('input.share', '公开工作分值占比不得超过100% (share must not exceed 100 %)');

  if (!isNumber(def.bonusCap) || def.bonusCap < 0 || def.bonusCap > MAX_BONUS_CAP) {
    add('input.bonusCap', '加分上限须在0至20分之间 (bonusCap must be between 0 and 20)');
  } else if (!hasAtMostTwoDecimals(def.bonusCap)) {
    // the bonus is added in hundredths of a point, like every other score
    add('input.bonusCap', '加分上限最多保留两位小数 (bonusCap may have at most 2 decimals)');
  }

  const within100 = (key: 'bonusThreshold' | 'excellentFrom' | 'goodFrom' | 'passFrom', zh: string): boolean => {
    const v = def[key];
    if (isNumber(v) && v >= 0 && v <= 100) return true;
    add(`input.${key}`, `${zh}须在0至100分之间 (${key} must be between 0 and 100)`);
    return false;
  };
  within100('bonusThreshold', '加分起点');
  const excellentOk = within100('excellentFrom', '优秀分数线');
  const goodOk = within100('goodFrom', '良好分数线');
  const passOk = within100('passFrom', '合格分数线');
  if (passOk && goodOk && def.passFrom > def.goodFrom) {
    add('input.goodFrom', '良好分数线不得低于合格分数线 (goodFrom must not be below passFrom)');
  }
  if (goodOk && excellentOk && def.goodFrom > def.excellentFrom) {
    add('input.excellentFrom', '优秀分数线不得低于良好分数线 (excellentFrom must not be below goodFrom)');
  }

  const inds = Array.isArray(def.indicators) ? def.indicators : [];
  const at = (i: number, key?: keyof IndicatorDef): string => `input.indicators[${i}]${key ? `.${key}` : ''}`;

  if (!inds.some(isScored)) {
    add('input.indicators', '至少需要一个计分指标 (at least one scored indicator is needed)');
  }

  // Codes: the first occurrence of a code is the one children and deductions refer to.
  const indexOf = new Map<string, number>();
  inds.forEach((ind, i) => {
    const code = typeof ind.code === 'string' ? ind.code.trim() : '';
    if (!code) add(at(i, 'code'), '指标编号不能为空 (code must not be empty)');
    else if ([...ind.code].length > MAX_CODE_LENGTH) add(at(i, 'code'), '指标编号不得超过20个字符 (code must be at most 20 characters)');
    else if (indexOf.has(ind.code)) add(at(i, 'code'), `指标编号 ${ind.code} 重复 (duplicate code ${ind.code})`);
    if (code && !indexOf.has(ind.code)) indexOf.set(ind.code, i);
    if (typeof ind.name !== 'string' || !ind.name.trim()) add(at(i, 'name'), '指标名称不能为空 (name must not be empty)');
  });

  const weightOk = inds.map((ind) => isNumber(ind.weight) && hasAtMostTwoDecimals(ind.weight));

  inds.forEach((ind, i) => {
    if (!KINDS.includes(ind.kind)) {
      add(at(i, 'kind'), `未知的指标类型 ${String(ind.kind)} (unknown kind ${String(ind.kind)})`);
      return;
    }

    // Weights.
    if (!isNumber(ind.weight)) add(at(i, 'weight'), '权重须为数字 (weight must be a number)');
    else if (!hasAtMostTwoDecimals(ind.weight)) add(at(i, 'weight'), '权重最多保留两位小数 (weight may have at most 2 decimals)');
    else if (isScored(ind) && ind.weight <= 0) add(at(i, 'weight'), '计分指标权重须大于0 (a scored indicator needs a weight above 0)');
    else if (ind.kind === 'BONUS' && ind.weight <= 0) add(at(i, 'weight'), '加分项须设定大于0的最高分 (a BONUS item needs a maximum above 0)');
    else if (ind.kind === 'VETO' && ind.weight !== 0) add(at(i, 'weight'), '否决项权重须为0 (a VETO item has weight 0)');

    // Parents.
    if (ind.parentCode != null) {
      const p = indexOf.get(ind.parentCode);
      if (ind.kind === 'BONUS') add(at(i, 'parentCode'), '加分项须为一级指标 (BONUS items must be top-level)');
      else if (ind.kind === 'VETO') add(at(i, 'parentCode'), '否决项须为一级指标 (VETO items must be top-level)');
      if (p === undefined) {
        add(at(i, 'parentCode'), `上级指标 ${ind.parentCode} 不存在 (unknown parent ${ind.parentCode})`);
      } else if (inds[p].kind !== 'GROUP') {
        add(at(i, 'parentCode'), `上级指标 ${ind.parentCode} 不是分组指标 (parent ${ind.parentCode} is not a GROUP)`);
      }
    }

    // Metric and formula: only figures-based leaves have them.
    if (ind.kind === 'COMPUTED') {
      const metric = ind.metric ?? null;
      const formula = ind.formula ?? null;
      const metricKnown = metric != null && (RATE_METRICS.includes(metric) || COUNT_METRICS.includes(metric));
      if (metric == null) add(at(i, 'metric'), '计算类指标须指定取数指标 (a COMPUTED indicator needs a metric)');
      else if (!metricKnown) add(at(i, 'metric'), `未知的取数指标 ${String(metric)} (unknown metric ${String(metric)})`);
      if (formula == null) add(at(i, 'formula'), '计算类指标须指定计分方法 (a COMPUTED indicator needs a formula)');
      else if (!FORMULAS.includes(formula)) add(at(i, 'formula'), `未知的计分方法 ${String(formula)} (unknown formula ${String(formula)})`);
      else if (formula === 'PROPORTIONAL') {
        if (metricKnown && !RATE_METRICS.includes(metric)) {
          add(at(i, 'metric'), '按比例计分须使用比率类取数指标 (PROPORTIONAL needs a rate metric)');
        }
        const target = ind.target;
        if (target != null && (!isNumber(target) || target <= 0 || target > 1)) {
          add(at(i, 'target'), '目标比率须大于0且不超过100% (target must be above 0 and at most 1)');
        }
      } else {
        if (metricKnown && !COUNT_METRICS.includes(metric)) {
          add(at(i, 'metric'), '按项扣分须使用计数类取数指标 (DEDUCT_PER_COUNT needs a count metric)');
        }
        const per = ind.perCount;
        if (per == null || !isNumber(per) || per <= 0) {
          add(at(i, 'perCount'), '每项扣分须大于0 (perCount must be above 0)');
        } else if (!hasAtMostTwoDecimals(per)) {
          add(at(i, 'perCount'), '每项扣分最多保留两位小数 (perCount may have at most 2 decimals)');
        }
      }
    } else {
      if (ind.metric != null) add(at(i, 'metric'), '仅计算类指标可指定取数指标 (only COMPUTED indicators take a metric)');
      if (ind.formula != null) add(at(i, 'formula'), '仅计算类指标可指定计分方法 (only COMPUTED indicators take a formula)');
    }
  });

  // Cycles and depth: walk each parent chain (through known codes, whatever their kind).
  inds.forEach((ind, i) => {
    const seen = new Set<number>([i]);
    let cur = i;
    let depth = 1;
    for (;;) {
      const parentCode = inds[cur].parentCode;
      const p = parentCode == null ? undefined : indexOf.get(parentCode);
      if (p === undefined) break;
      if (seen.has(p)) {
        // only the members of a cycle report it; an indicator hanging below one has no depth to judge
        if (p === i) add(at(i, 'parentCode'), '上级关系形成循环 (parent chain forms a cycle)');
        depth = 0;
        break;
      }
      seen.add(p);
      cur = p;
      depth++;
    }
    if (depth > MAX_DEPTH) add(at(i, 'parentCode'), '指标层级不得超过3级 (indicators may be nested at most 3 levels deep)');
  });

  // Sums of weights, in hundredths so that 33.33 + 33.33 + 33.34 is exactly 100.
  const sumH = (members: number[]): number | null =>
    members.every((m) => weightOk[m]) ? members.reduce((s, m) => s + toH(inds[m].weight), 0) : null;

  const topScored = inds.map((_, i) => i).filter((i) => isScored(inds[i]) && isTopLevel(inds[i]));
  if (inds.some(isScored)) {
    const total = sumH(topScored);
    if (total !== null && total !== 10000) {
      add('input.indicators', `一级计分指标权重合计须为100，现为${fromH(total)} (top-level scored weights must add up to 100, not ${fromH(total)})`);
    }
  }

  inds.forEach((ind, g) => {
    if (ind.kind !== 'GROUP' || indexOf.get(ind.code) !== g) return;
    const children = inds.map((_, i) => i).filter((i) => i !== g && inds[i].parentCode === ind.code);
    if (children.length === 0) {
      add(at(g, 'kind'), `分组指标 ${ind.code} 须至少有一个下级指标 (GROUP ${ind.code} needs at least one child)`);
      return;
    }
    const scoredChildren = children.filter((i) => isScored(inds[i]));
    const total = sumH(scoredChildren);
    if (total !== null && weightOk[g] && total !== toH(ind.weight)) {
      add(
        at(g, 'weight'),
        `分组指标 ${ind.code} 的下级指标权重合计为${fromH(total)}，须等于其权重${ind.weight} ` +
          `(the children of ${ind.code} add up to ${fromH(total)}, not its weight ${ind.weight})`,
      );
    }
  });

  return problems;
}

/* ------------------------------------------------------------------------------------------------
 * Texts.
 * ---------------------------------------------------------------------------------------------- */

/** How a COMPUTED indicator is scored, for the score sheet; null for the other kinds. */
export function formulaText(ind: IndicatorDef): string | null {
  if (ind.kind !== 'COMPUTED') return null;
  const w = show(ind.weight);
  if (ind.formula === 'PROPORTIONAL') {
    const pct = show((ind.target ?? 1) * 100);
    return (
      `得分 = ${w} × min(1, 比率 ÷ ${pct}%)；无应评对象时得满分 ` +
      `(points = ${w} × min(1, rate ÷ ${pct} %); full marks when nothing was due)`
    );
  }
  if (ind.formula === 'DEDUCT_PER_COUNT') {
    const per = show(ind.perCount ?? 0);
    return `每项扣${per}分，扣完为止 (${w} − ${per} per item, not below 0)`;
  }
  return null;
}

export function gradeOf(score: number, def: Pick<SchemeDef, 'excellentFrom' | 'goodFrom' | 'passFrom'>): Grade {
  if (score >= def.excellentFrom) return 'EXCELLENT';
  if (score >= def.goodFrom) return 'GOOD';
  if (score >= def.passFrom) return 'PASS';
  return 'FAIL';
}

/* ------------------------------------------------------------------------------------------------
 * Scoring.
 * ---------------------------------------------------------------------------------------------- */

interface Computed {
  value: MetricValue | null;
  rate: number | null;
  earnedH: number;
}

function isRateValue(v: MetricValue): v is { numerator: number; denominator: number } {
  return 'denominator' in v;
}

function computeLeaf(ind: IndicatorDef, metrics: ScoringInputs['metrics']): Computed {
  const metric = ind.metric!;
  const value = metrics[metric] ?? null;
  const weightH = toH(ind.weight);
  if (value !== null && isRateValue(value) !== RATE_METRICS.includes(metric)) {
    // a caller bug, not a fact about the unit: scoring it as "nothing due" would hide it behind full marks
    throw new Error(`metric ${metric} was given as ${isRateValue(value) ? 'a rate' : 'a count'}`);
  }
  if (ind.formula === 'PROPORTIONAL') {
    if (value === null || !isRateValue(value) || !(value.denominator > 0)) {
      // nothing was due (no catalogue items, no tasks …): nothing can have been missed
      return { value, rate: null, earnedH: weightH };
    }
    const rate = Math.max(0, value.numerator) / value.denominator;
    const target = ind.target ?? 1;
    const earnedH = roundHalfUp(weightH * Math.min(1, rate / target));
    return { value, rate, earnedH };
  }
  // DEDUCT_PER_COUNT: a missing figure counts no offending items
  const count = value !== null && !isRateValue(value) && value.count > 0 ? value.count : 0;
  const earnedH = Math.max(0, weightH - roundHalfUp(toH(ind.perCount!) * count));
  return { value, rate: null, earnedH };
}

/** Hand-given points within 0..max, in hundredths; null when not (yet) given. */
function manualPointsH(entry: ManualEntry | undefined, maxH: number): number | null {
  const p = entry?.points;
  if (p == null || !Number.isFinite(p)) return null;
  // the service checks the range when the points are entered; clamp anyway so a bad row cannot exceed the weight
  return Math.min(maxH, Math.max(0, toH(p)));
}

/**
 * Scores one agency against a scheme. The scheme must be valid (validateScheme is run here too and
 * an invalid scheme throws): a score computed from a broken tree would be published as if it meant something.
 */
export function scoreAgency(def: SchemeDef, inputs: ScoringInputs): ScoreResult {
  const problems = validateScheme(def);
  if (problems.length > 0) {
    throw new Error(`invalid scheme: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  }

  const children = new Map<string, IndicatorDef[]>();
  for (const ind of def.indicators) {
    if (ind.parentCode == null) continue;
    const list = children.get(ind.parentCode) ?? [];
    list.push(ind);
    children.set(ind.parentCode, list);
  }

  const outcomes: IndicatorOutcome[] = [];
  const missingManual: string[] = [];
  const vetoCodes: string[] = [];
  let deductedTotalH = 0;
  let bonusEarnedH = 0;

  const recordedH = (code: string): number => {
    const d = inputs.deductions[code];
    return d && Number.isFinite(d.points) && d.points > 0 ? toH(d.points) : 0;
  };

  /** Appends the outcome of `ind` (and its subtree) in pre-order; returns its final points in hundredths. */
  const visit = (ind: IndicatorDef): number => {
    const entry = inputs.manual[ind.code];
    const outcome: IndicatorOutcome = {
      code: ind.code,
      name: ind.name,
      kind: ind.kind,
      weight: ind.weight,
      metric: ind.metric ?? null,
      formula: formulaText(ind),
      value: null,
      rate: null,
      earned: null,
      deducted: 0,
      deductionsRecorded: fromH(recordedH(ind.code)),
      points: 0,
      vetoed: false,
      note: entry?.note ?? null,
    };
    // pushed before the children so the list stays in pre-order; a GROUP's numbers are filled in after them
    outcomes.push(outcome);

    if (ind.kind === 'BONUS') {
      const earnedH = manualPointsH(entry, toH(ind.weight));
      bonusEarnedH += earnedH ?? 0;
      outcome.earned = earnedH === null ? null : fromH(earnedH);
      outcome.points = fromH(earnedH ?? 0);
      return 0;
    }
    if (ind.kind === 'VETO') {
      outcome.vetoed = entry?.vetoed === true;
      if (outcome.vetoed) vetoCodes.push(ind.code);
      return 0;
    }

    let earnedH: number | null;
    if (ind.kind === 'GROUP') {
      earnedH = (children.get(ind.code) ?? []).filter(isScored).reduce((sum, child) => sum + visit(child), 0);
    } else if (ind.kind === 'COMPUTED') {
      const c = computeLeaf(ind, inputs.metrics);
      outcome.value = c.value;
      outcome.rate = c.rate;
      earnedH = c.earnedH;
    } else {
      earnedH = manualPointsH(entry, toH(ind.weight));
      if (earnedH === null) missingManual.push(ind.code);
    }

    // an inspection cannot take more than the indicator holds, nor reach into its siblings
    const deductedH = Math.min(recordedH(ind.code), earnedH ?? 0);
    deductedTotalH += deductedH;
    const pointsH = (earnedH ?? 0) - deductedH;
    outcome.earned = earnedH === null ? null : fromH(earnedH);
    outcome.deducted = fromH(deductedH);
    outcome.points = fromH(pointsH);
    return pointsH;
  };

  let baseH = 0;
  for (const ind of def.indicators) {
    if (!isTopLevel(ind)) continue;
    const pointsH = visit(ind);
    if (isScored(ind)) baseH += pointsH;
  }
  baseH = Math.min(10000, Math.max(0, baseH));

  const bonusApplied = baseH >= def.bonusThreshold * 100 - 1e-7;
  const bonusH = bonusApplied ? Math.min(toH(def.bonusCap), bonusEarnedH) : 0;
  const beforeVetoH = Math.min(10000, baseH + bonusH);
  const vetoed = vetoCodes.length > 0;
  const scoreH = vetoed ? 0 : beforeVetoH;
  const score = fromH(scoreH);

  return {
    indicators: outcomes,
    baseScore: fromH(baseH),
    bonusEarned: fromH(bonusEarnedH),
    bonus: fromH(bonusH),
    bonusApplied,
    deductions: fromH(deductedTotalH),
    vetoed,
    vetoCodes,
    scoreBeforeVeto: fromH(beforeVetoH),
    score,
    grade: vetoed ? 'FAIL' : gradeOf(score, def),
    // score in hundredths × share percent ÷ 100 → thousandths of a point when divided by 10
    contribution: roundHalfUp((scoreH * def.share) / 10) / 1000,
    missingManual,
  };
}
