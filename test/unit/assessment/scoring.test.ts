import {
  COUNT_METRICS,
  RATE_METRICS,
  formulaText,
  gradeOf,
  scoreAgency,
  validateScheme,
  type IndicatorDef,
  type IndicatorOutcome,
  type SchemeDef,
  type ScoringInputs,
} from '../../../src/modules/assessment/scoring';

/* ------------------------------------------------------------------------------------------------
 * A small scheme: two groups (40 + 60 = 100), computed and manual leaves, two bonus items (cap 3,
 * from a base score of 60 up), one veto item. Every expected number below is worked out by hand.
 * ---------------------------------------------------------------------------------------------- */

const group = (code: string, weight: number, parentCode: string | null = null): IndicatorDef => ({
  code,
  name: `分组${code}`,
  parentCode,
  kind: 'GROUP',
  weight,
});
const manual = (code: string, weight: number, parentCode: string | null = null): IndicatorDef => ({
  code,
  name: `人工评分${code}`,
  parentCode,
  kind: 'MANUAL',
  weight,
});
const proportional = (code: string, weight: number, metric: IndicatorDef['metric'], parentCode: string | null, target?: number): IndicatorDef => ({
  code,
  name: `比率${code}`,
  parentCode,
  kind: 'COMPUTED',
  weight,
  metric,
  formula: 'PROPORTIONAL',
  target: target ?? null,
});
const perCount = (code: string, weight: number, metric: IndicatorDef['metric'], per: number, parentCode: string | null): IndicatorDef => ({
  code,
  name: `扣分${code}`,
  parentCode,
  kind: 'COMPUTED',
  weight,
  metric,
  formula: 'DEDUCT_PER_COUNT',
  perCount: per,
});

const INDICATORS: IndicatorDef[] = [
  group('A', 40), //                                                       [0]
  proportional('A1', 20, 'CATALOGUE_COVERAGE', 'A', 0.95), //              [1]
  proportional('A2', 10, 'ON_TIME_PUBLICATION', 'A'), //                   [2] target 1 (default)
  perCount('A3', 10, 'STALE_ITEMS', 0.5, 'A'), //                          [3]
  group('B', 60), //                                                       [4]
  proportional('B1', 30, 'TASK_COMPLETION', 'B'), //                       [5]
  manual('B2', 20, 'B'), //                                                [6]
  proportional('B3', 10, 'THIRD_PARTY_SCORE', 'B'), //                     [7]
  { code: 'X1', name: '创新做法加分', parentCode: null, kind: 'BONUS', weight: 2 }, //  [8]
  { code: 'X2', name: '经验推广加分', parentCode: null, kind: 'BONUS', weight: 3 }, //  [9]
  { code: 'V1', name: '发生失泄密事件', parentCode: null, kind: 'VETO', weight: 0 }, // [10]
];

const SCHEME: SchemeDef = {
  share: 5,
  bonusCap: 3,
  bonusThreshold: 60,
  excellentFrom: 90,
  goodFrom: 80,
  passFrom: 60,
  indicators: INDICATORS,
};

/** A copy of the scheme with some indicators changed (by index). */
function withIndicators(changes: Record<number, Partial<IndicatorDef>>, scheme: SchemeDef = SCHEME): SchemeDef {
  return { ...scheme, indicators: scheme.indicators.map((ind, i) => ({ ...ind, ...(changes[i] ?? {}) })) };
}

/*
 * A1 coverage 90/100 = 0.9 against 95 %: 20 × 0.9 / 0.95 = 18.947… → 18.95
 * A2 on time 45/50 = 0.9:                 10 × 0.9          = 9
 * A3 3 stale items at 0.5:                10 − 3 × 0.5      = 8.5
 *    A = 18.95 + 9 + 8.5                                    = 36.45
 * B1 tasks 19/20 = 0.95:                  30 × 0.95         = 28.5
 * B2 by hand                                                = 17.5
 * B3 third party 87.5/100:                10 × 0.875        = 8.75
 *    B = 28.5 + 17.5 + 8.75                                 = 54.75
 * base = 36.45 + 54.75 = 91.2; bonus 1.5 + 1 = 2.5 (≤ cap 3, base ≥ 60) → 93.7, EXCELLENT
 */
const INPUTS: ScoringInputs = {
  metrics: {
    CATALOGUE_COVERAGE: { numerator: 90, denominator: 100 },
    ON_TIME_PUBLICATION: { numerator: 45, denominator: 50 },
    STALE_ITEMS: { count: 3 },
    TASK_COMPLETION: { numerator: 19, denominator: 20 },
    THIRD_PARTY_SCORE: { numerator: 87.5, denominator: 100 },
  },
  manual: {
    B2: { points: 17.5, note: '解读材料基本完整' },
    X1: { points: 1.5 },
    X2: { points: 1 },
  },
  deductions: {},
};

function inputs(changes: Partial<ScoringInputs>): ScoringInputs {
  return { ...INPUTS, ...changes };
}

function outcome(outcomes: IndicatorOutcome[], code: string): IndicatorOutcome {
  const o = outcomes.find((x) => x.code === code);
  if (!o) throw new Error(`no outcome for ${code}`);
  return o;
}

/** The figures that matter, per code: [earned, deducted, points]. */
function points(outcomes: IndicatorOutcome[]): Record<string, [number | null, number, number]> {
  return Object.fromEntries(outcomes.map((o) => [o.code, [o.earned, o.deducted, o.points]]));
}

describe('metric lists', () => {
  it('splits the metrics into rates and counts, with nothing in both', () => {
    expect(RATE_METRICS).toEqual(['CATALOGUE_COVERAGE', 'ON_TIME_PUBLICATION', 'TASK_COMPLETION', 'EXPLANATIONS_ON_TIME', 'THIRD_PARTY_SCORE']);
    expect(COUNT_METRICS).toEqual(['STALE_ITEMS', 'EMPTY_ITEMS', 'OVERDUE_TASKS', 'LATE_EXPLANATIONS']);
    expect(RATE_METRICS.filter((m) => COUNT_METRICS.includes(m))).toEqual([]);
  });
});

describe('scoreAgency', () => {
  it('scores the small scheme by hand', () => {
    const r = scoreAgency(SCHEME, INPUTS);
    // pre-order: each group before its children, bonus and veto items where they are defined
    expect(r.indicators.map((o) => o.code)).toEqual(['A', 'A1', 'A2', 'A3', 'B', 'B1', 'B2', 'B3', 'X1', 'X2', 'V1']);
    expect(points(r.indicators)).toEqual({
      A: [36.45, 0, 36.45],
      A1: [18.95, 0, 18.95],
      A2: [9, 0, 9],
      A3: [8.5, 0, 8.5],
      B: [54.75, 0, 54.75],
      B1: [28.5, 0, 28.5],
      B2: [17.5, 0, 17.5],
      B3: [8.75, 0, 8.75],
      X1: [1.5, 0, 1.5],
      X2: [1, 0, 1],
      V1: [null, 0, 0],
    });
    expect(outcome(r.indicators, 'A1')).toEqual({
      code: 'A1',
      name: '比率A1',
      kind: 'COMPUTED',
      weight: 20,
      metric: 'CATALOGUE_COVERAGE',
      formula: '得分 = 20 × min(1, 比率 ÷ 95%)；无应评对象时得满分 (points = 20 × min(1, rate ÷ 95 %); full marks when nothing was due)',
      value: { numerator: 90, denominator: 100 },
      rate: 0.9,
      earned: 18.95,
      deducted: 0,
      deductionsRecorded: 0,
      points: 18.95,
      vetoed: false,
      note: null,
    });
    expect(outcome(r.indicators, 'A3')).toMatchObject({ value: { count: 3 }, rate: null, formula: '每项扣0.5分，扣完为止 (10 − 0.5 per item, not below 0)' });
    // the third-party score arrives as score / 100
    expect(outcome(r.indicators, 'B3').rate).toBe(0.875);
    expect(outcome(r.indicators, 'B2')).toMatchObject({ formula: null, metric: null, value: null, note: '解读材料基本完整' });
    expect(r).toMatchObject({
      baseScore: 91.2,
      bonusEarned: 2.5,
      bonus: 2.5,
      bonusApplied: true,
      deductions: 0,
      vetoed: false,
      vetoCodes: [],
      scoreBeforeVeto: 93.7, // 91.2 + 2.5
      score: 93.7,
      grade: 'EXCELLENT',
      contribution: 4.685, // 93.7 × 5 / 100
      missingManual: [],
    });
  });

  it('caps a deduction at the points the indicator has left', () => {
    // A3 earned 8.5 but the inspections recorded 12 against it: only 8.5 can go, A3 ends at 0 and
    // the other 3.5 do not reach its siblings. A = 18.95 + 9 + 0 = 27.95; base = 27.95 + 54.75 = 82.7;
    // score = 82.7 + 2.5 = 85.2 → GOOD
    const r = scoreAgency(SCHEME, inputs({ deductions: { A3: { points: 12, count: 2 } } }));
    expect(outcome(r.indicators, 'A3')).toMatchObject({ earned: 8.5, deductionsRecorded: 12, deducted: 8.5, points: 0 });
    expect(outcome(r.indicators, 'A')).toMatchObject({ earned: 27.95, deducted: 0, points: 27.95 });
    expect(r).toMatchObject({ baseScore: 82.7, deductions: 8.5, score: 85.2, grade: 'GOOD' });
  });

  it('applies a deduction recorded against a group to the group, after adding up its children', () => {
    // B earned 28.5 + 17.5 + 8.75 = 54.75, minus 2 → 52.75; children unchanged.
    // base = 36.45 + 52.75 = 89.2; score = 89.2 + 2.5 = 91.7
    const r = scoreAgency(SCHEME, inputs({ deductions: { B: { points: 2, count: 1 } } }));
    expect(outcome(r.indicators, 'B')).toMatchObject({ earned: 54.75, deductionsRecorded: 2, deducted: 2, points: 52.75 });
    expect(outcome(r.indicators, 'B1').points).toBe(28.5);
    expect(r).toMatchObject({ baseScore: 89.2, deductions: 2, score: 91.7, grade: 'EXCELLENT' });

    // deductions at both levels add up; a group deduction is capped at what the group holds:
    // A3 loses 1 (8.5 → 7.5), A = 18.95 + 9 + 7.5 = 35.45; B recorded 70 > 54.75 → B = 0.
    // base = 35.45 + 0 = 35.45 < 60 → no bonus; deductions = 1 + 54.75 = 55.75
    const both = scoreAgency(SCHEME, inputs({ deductions: { A3: { points: 1, count: 1 }, B: { points: 70, count: 3 } } }));
    expect(points(both.indicators).A).toEqual([35.45, 0, 35.45]);
    expect(points(both.indicators).B).toEqual([54.75, 54.75, 0]);
    expect(both).toMatchObject({ baseScore: 35.45, deductions: 55.75, bonusApplied: false, bonus: 0, score: 35.45, grade: 'FAIL' });
  });

  it('withholds the bonus below the threshold and grants it from the threshold up', () => {
    // base 91.2 < 95: the 2.5 bonus points are earned but not added
    const below = scoreAgency({ ...SCHEME, bonusThreshold: 95 }, INPUTS);
    expect(below).toMatchObject({ baseScore: 91.2, bonusEarned: 2.5, bonusApplied: false, bonus: 0, scoreBeforeVeto: 91.2, score: 91.2 });
    // base 91.2 ≥ 91.2: granted
    const at = scoreAgency({ ...SCHEME, bonusThreshold: 91.2 }, INPUTS);
    expect(at).toMatchObject({ bonusApplied: true, bonus: 2.5, score: 93.7 });
  });

  it('caps the bonus, both per item and for the scheme, and the score at 100', () => {
    // X1 given 2.5 but worth at most 2 → 2; X2 3 → earned 2 + 3 = 5; scheme cap 3 → 91.2 + 3 = 94.2
    const r = scoreAgency(SCHEME, inputs({ manual: { ...INPUTS.manual, X1: { points: 2.5 }, X2: { points: 3 } } }));
    expect(outcome(r.indicators, 'X1')).toMatchObject({ earned: 2, points: 2 });
    expect(r).toMatchObject({ bonusEarned: 5, bonus: 3, bonusApplied: true, scoreBeforeVeto: 94.2, score: 94.2 });

    // full marks everywhere (no figures: nothing was due; B2 20 by hand) → base 100; + 2.5 stays 100
    const full = scoreAgency(SCHEME, { metrics: {}, manual: { ...INPUTS.manual, B2: { points: 20 } }, deductions: {} });
    expect(full).toMatchObject({ baseScore: 100, bonus: 2.5, scoreBeforeVeto: 100, score: 100 });
  });

  it('zeroes a vetoed score and fails it, keeping the score it would have had', () => {
    const r = scoreAgency(SCHEME, inputs({ manual: { ...INPUTS.manual, V1: { vetoed: true, note: '发生失泄密事件一起' } } }));
    expect(outcome(r.indicators, 'V1')).toMatchObject({ vetoed: true, points: 0, note: '发生失泄密事件一起' });
    expect(r).toMatchObject({
      vetoed: true,
      vetoCodes: ['V1'],
      baseScore: 91.2,
      scoreBeforeVeto: 93.7,
      score: 0,
      grade: 'FAIL',
      contribution: 0,
    });
    // vetoed: false is no veto
    expect(scoreAgency(SCHEME, inputs({ manual: { ...INPUTS.manual, V1: { vetoed: false } } })).vetoed).toBe(false);
  });

  it('converts the score into points of the total performance score by the share', () => {
    // 90 × 5 % = 4.5 points of the unit's performance score
    const one: SchemeDef = { ...SCHEME, indicators: [manual('M', 100)] };
    expect(scoreAgency(one, { metrics: {}, manual: { M: { points: 90 } }, deductions: {} }).contribution).toBe(4.5);
    // 93.7 × 4.5 % = 4.2165 → half-up to 3 decimals 4.217
    expect(scoreAgency({ ...SCHEME, share: 4.5 }, INPUTS).contribution).toBe(4.217);
  });

  it('gives full marks when nothing was due or no figure was gathered', () => {
    // A1 no figure, A2 0 of 0 publications due, A3 no count (0 items), B1 0 of 0 tasks, B3 no score:
    // A = 20 + 10 + 10 = 40, B = 30 + 17.5 + 10 = 57.5, base = 97.5
    const r = scoreAgency(SCHEME, {
      ...INPUTS,
      metrics: { ON_TIME_PUBLICATION: { numerator: 0, denominator: 0 }, TASK_COMPLETION: { numerator: 0, denominator: 0 } },
    });
    expect(outcome(r.indicators, 'A1')).toMatchObject({ value: null, rate: null, earned: 20 });
    expect(outcome(r.indicators, 'A2')).toMatchObject({ value: { numerator: 0, denominator: 0 }, rate: null, earned: 10 });
    expect(outcome(r.indicators, 'A3')).toMatchObject({ value: null, earned: 10 });
    expect(r.baseScore).toBe(97.5);
  });

  it('does not go below 0 when there are more items than points', () => {
    // 30 stale items × 0.5 = 15 > 10 → A3 = 0
    const r = scoreAgency(SCHEME, inputs({ metrics: { ...INPUTS.metrics, STALE_ITEMS: { count: 30 } } }));
    expect(outcome(r.indicators, 'A3').earned).toBe(0);
  });

  it('lists manual indicators not yet scored and counts them as 0', () => {
    // B2 missing: B = 28.5 + 0 + 8.75 = 37.25; base = 36.45 + 37.25 = 73.7; no bonus given → 73.7, PASS
    const r = scoreAgency(SCHEME, inputs({ manual: {} }));
    expect(outcome(r.indicators, 'B2')).toMatchObject({ earned: null, points: 0 });
    expect(outcome(r.indicators, 'X1')).toMatchObject({ earned: null, points: 0 });
    expect(r).toMatchObject({ missingManual: ['B2'], baseScore: 73.7, bonusEarned: 0, score: 73.7, grade: 'PASS' });
  });

  it('clamps hand-given points into 0..weight', () => {
    // B2 given 25 of 20 → 20; B = 28.5 + 20 + 8.75 = 57.25
    expect(outcome(scoreAgency(SCHEME, inputs({ manual: { B2: { points: 25 } } })).indicators, 'B2').earned).toBe(20);
    expect(outcome(scoreAgency(SCHEME, inputs({ manual: { B2: { points: -3 } } })).indicators, 'B2').earned).toBe(0);
  });

  it('rounds each computed leaf half-up to hundredths once, and sums without drift', () => {
    const scheme: SchemeDef = {
      ...SCHEME,
      indicators: [
        proportional('R1', 7, 'TASK_COMPLETION', null),
        proportional('R2', 1, 'CATALOGUE_COVERAGE', null),
        manual('M', 92),
      ],
    };
    // R1: 7 × 2/3 = 4.666… → 4.67; R2: 1 × 5/8 = 0.625 → 0.63 (half-up, not half-even 0.62);
    // base = 4.67 + 0.63 + 92 = 97.3 exactly
    const r = scoreAgency(scheme, {
      metrics: { TASK_COMPLETION: { numerator: 2, denominator: 3 }, CATALOGUE_COVERAGE: { numerator: 5, denominator: 8 } },
      manual: { M: { points: 92 } },
      deductions: {},
    });
    expect(points(r.indicators)).toEqual({ R1: [4.67, 0, 4.67], R2: [0.63, 0, 0.63], M: [92, 0, 92] });
    expect(r.baseScore).toBe(97.3);

    // 33.33 + 33.33 + 33.34 is exactly 100 in hundredths (and in the validation of the weights)
    const thirds: SchemeDef = { ...SCHEME, indicators: [manual('T1', 33.33), manual('T2', 33.33), manual('T3', 33.34)] };
    expect(validateScheme(thirds)).toEqual([]);
    const t = scoreAgency(thirds, { metrics: {}, manual: { T1: { points: 33.33 }, T2: { points: 33.33 }, T3: { points: 33.34 } }, deductions: {} });
    expect(t.baseScore).toBe(100);
    expect(t.grade).toBe('EXCELLENT');
  });

  it('refuses an invalid scheme and a figure of the wrong shape', () => {
    expect(() => scoreAgency({ ...SCHEME, share: 3 }, INPUTS)).toThrow(/input\.share/);
    // a rate metric given as a count is a caller bug: it must not turn into "nothing due, full marks"
    expect(() => scoreAgency(SCHEME, inputs({ metrics: { ...INPUTS.metrics, TASK_COMPLETION: { count: 3 } } }))).toThrow(/TASK_COMPLETION/);
  });
});

describe('formulaText', () => {
  it('explains the computed formulas in Chinese and English', () => {
    expect(formulaText(proportional('P', 8, 'ON_TIME_PUBLICATION', null, 0.95))).toBe(
      '得分 = 8 × min(1, 比率 ÷ 95%)；无应评对象时得满分 (points = 8 × min(1, rate ÷ 95 %); full marks when nothing was due)',
    );
    expect(formulaText(proportional('P', 7.5, 'ON_TIME_PUBLICATION', null))).toBe(
      '得分 = 7.5 × min(1, 比率 ÷ 100%)；无应评对象时得满分 (points = 7.5 × min(1, rate ÷ 100 %); full marks when nothing was due)',
    );
    expect(formulaText(perCount('D', 8, 'OVERDUE_TASKS', 0.5, null))).toBe('每项扣0.5分，扣完为止 (8 − 0.5 per item, not below 0)');
  });

  it('has nothing to say for the other kinds', () => {
    expect(formulaText(manual('M', 10))).toBeNull();
    expect(formulaText(group('G', 10))).toBeNull();
    expect(formulaText(INDICATORS[8])).toBeNull();
    expect(formulaText(INDICATORS[10])).toBeNull();
  });
});

describe('gradeOf', () => {
  it('grades from each threshold up', () => {
    const t = { excellentFrom: 90, goodFrom: 80, passFrom: 60 };
    expect(gradeOf(100, t)).toBe('EXCELLENT');
    expect(gradeOf(90, t)).toBe('EXCELLENT');
    expect(gradeOf(89.99, t)).toBe('GOOD');
    expect(gradeOf(80, t)).toBe('GOOD');
    expect(gradeOf(60, t)).toBe('PASS');
    expect(gradeOf(59.99, t)).toBe('FAIL');
    expect(gradeOf(0, t)).toBe('FAIL');
  });
});

describe('validateScheme', () => {
  it('accepts the small scheme', () => {
    expect(validateScheme(SCHEME)).toEqual([]);
  });

  it('keeps openness at 4 % of the performance score or more, and at most 100 %', () => {
    expect(validateScheme({ ...SCHEME, share: 3.9 })).toEqual([
      { field: 'input.share', message: '公开工作分值占比不得低于4% (share must be at least 4 %)' },
    ]);
    expect(validateScheme({ ...SCHEME, share: 4 })).toEqual([]);
    expect(validateScheme({ ...SCHEME, share: 100 })).toEqual([]);
    expect(validateScheme({ ...SCHEME, share: 100.01 })).toEqual([
      { field: 'input.share', message: '公开工作分值占比不得超过100% (share must not exceed 100 %)' },
    ]);
  });

  it('checks the bonus cap, the thresholds and their order', () => {
    expect(validateScheme({ ...SCHEME, bonusCap: 20 })).toEqual([]);
    expect(validateScheme({ ...SCHEME, bonusCap: 20.5 }).map((p) => p.field)).toEqual(['input.bonusCap']);
    expect(validateScheme({ ...SCHEME, bonusCap: -1 }).map((p) => p.field)).toEqual(['input.bonusCap']);
    expect(validateScheme({ ...SCHEME, bonusThreshold: 101 }).map((p) => p.field)).toEqual(['input.bonusThreshold']);
    expect(validateScheme({ ...SCHEME, passFrom: 85 })).toEqual([
      { field: 'input.goodFrom', message: '良好分数线不得低于合格分数线 (goodFrom must not be below passFrom)' },
    ]);
    expect(validateScheme({ ...SCHEME, goodFrom: 95 }).map((p) => p.field)).toEqual(['input.excellentFrom']);
  });

  it('makes the top-level scored weights add up to 100', () => {
    // B 60 → 59 (its children adjusted to match): 40 + 59 = 99; bonus and veto items do not count
    expect(validateScheme(withIndicators({ 4: { weight: 59 }, 5: { weight: 29 } }))).toEqual([
      { field: 'input.indicators', message: '一级计分指标权重合计须为100，现为99 (top-level scored weights must add up to 100, not 99)' },
    ]);
  });

  it("makes a group's children add up to the group's weight, naming the group", () => {
    // B1 30 → 29: 29 + 20 + 10 = 59 ≠ 60
    expect(validateScheme(withIndicators({ 5: { weight: 29 } }))).toEqual([
      {
        field: 'input.indicators[4].weight',
        message: '分组指标 B 的下级指标权重合计为59，须等于其权重60 (the children of B add up to 59, not its weight 60)',
      },
    ]);
  });

  it('needs a rate metric for PROPORTIONAL and a count metric for DEDUCT_PER_COUNT', () => {
    expect(validateScheme(withIndicators({ 1: { metric: 'STALE_ITEMS' } }))).toEqual([
      { field: 'input.indicators[1].metric', message: '按比例计分须使用比率类取数指标 (PROPORTIONAL needs a rate metric)' },
    ]);
    expect(validateScheme(withIndicators({ 3: { metric: 'TASK_COMPLETION' } })).map((p) => p.field)).toEqual(['input.indicators[3].metric']);
    expect(validateScheme(withIndicators({ 3: { perCount: 0 } })).map((p) => p.field)).toEqual(['input.indicators[3].perCount']);
    expect(validateScheme(withIndicators({ 1: { target: 1.2 } })).map((p) => p.field)).toEqual(['input.indicators[1].target']);
    expect(validateScheme(withIndicators({ 1: { target: 0 } })).map((p) => p.field)).toEqual(['input.indicators[1].target']);
    expect(validateScheme(withIndicators({ 1: { metric: null, formula: null } })).map((p) => p.field)).toEqual([
      'input.indicators[1].metric',
      'input.indicators[1].formula',
    ]);
    // figures belong to COMPUTED indicators only
    expect(validateScheme(withIndicators({ 6: { metric: 'TASK_COMPLETION' } })).map((p) => p.field)).toEqual(['input.indicators[6].metric']);
  });

  it('keeps veto items at weight 0 and bonus items at the top level', () => {
    expect(validateScheme(withIndicators({ 10: { weight: 1 } }))).toEqual([
      { field: 'input.indicators[10].weight', message: '否决项权重须为0 (a VETO item has weight 0)' },
    ]);
    // X1 under A: refused; A's scored children still add up to 40
    expect(validateScheme(withIndicators({ 8: { parentCode: 'A' } }))).toEqual([
      { field: 'input.indicators[8].parentCode', message: '加分项须为一级指标 (BONUS items must be top-level)' },
    ]);
    expect(validateScheme(withIndicators({ 8: { weight: 0 } })).map((p) => p.field)).toEqual(['input.indicators[8].weight']);
  });

  it('names an unknown parent and a parent that is not a group', () => {
    // A3 moved under Z: Z does not exist, and A's children now add up to 20 + 10 = 30
    expect(validateScheme(withIndicators({ 3: { parentCode: 'Z' } }))).toEqual([
      { field: 'input.indicators[3].parentCode', message: '上级指标 Z 不存在 (unknown parent Z)' },
      {
        field: 'input.indicators[0].weight',
        message: '分组指标 A 的下级指标权重合计为30，须等于其权重40 (the children of A add up to 30, not its weight 40)',
      },
    ]);
    expect(validateScheme(withIndicators({ 3: { parentCode: 'A1' } }))[0]).toEqual({
      field: 'input.indicators[3].parentCode',
      message: '上级指标 A1 不是分组指标 (parent A1 is not a GROUP)',
    });
  });

  it('refuses duplicate, empty and overlong codes', () => {
    expect(validateScheme(withIndicators({ 7: { code: 'B2' } }))).toEqual([
      { field: 'input.indicators[7].code', message: '指标编号 B2 重复 (duplicate code B2)' },
    ]);
    expect(validateScheme(withIndicators({ 8: { code: ' ' } })).map((p) => p.field)).toEqual(['input.indicators[8].code']);
    expect(validateScheme(withIndicators({ 8: { code: 'X'.repeat(21) } })).map((p) => p.field)).toEqual(['input.indicators[8].code']);
    expect(validateScheme(withIndicators({ 8: { code: '加'.repeat(20) } }))).toEqual([]);
  });

  it('allows three levels, not four', () => {
    const three: SchemeDef = { ...SCHEME, indicators: [group('G1', 100), group('G2', 100, 'G1'), manual('L', 100, 'G2')] };
    expect(validateScheme(three)).toEqual([]);
    const four: SchemeDef = { ...SCHEME, indicators: [group('G1', 100), group('G2', 100, 'G1'), group('G3', 100, 'G2'), manual('L', 100, 'G3')] };
    expect(validateScheme(four)).toEqual([
      { field: 'input.indicators[3].parentCode', message: '指标层级不得超过3级 (indicators may be nested at most 3 levels deep)' },
    ]);
  });

  it('finds cycles', () => {
    const cyclic: SchemeDef = { ...SCHEME, indicators: [group('C1', 50, 'C2'), group('C2', 50, 'C1'), manual('T', 100)] };
    expect(validateScheme(cyclic)).toEqual([
      { field: 'input.indicators[0].parentCode', message: '上级关系形成循环 (parent chain forms a cycle)' },
      { field: 'input.indicators[1].parentCode', message: '上级关系形成循环 (parent chain forms a cycle)' },
    ]);
  });

  it('checks the weights themselves and the shape of the tree', () => {
    // at most 2 decimals
    expect(validateScheme(withIndicators({ 9: { weight: 2.005 } })).map((p) => p.field)).toEqual(['input.indicators[9].weight']);
    // a scored indicator needs a weight above 0 (B's children then add up to 40, reported too)
    expect(validateScheme(withIndicators({ 6: { weight: 0 } })).map((p) => p.field)).toContain('input.indicators[6].weight');
    // a group needs a child
    expect(validateScheme({ ...SCHEME, indicators: [group('E', 100)] })).toEqual([
      { field: 'input.indicators[0].kind', message: '分组指标 E 须至少有一个下级指标 (GROUP E needs at least one child)' },
    ]);
    // bonus and veto items alone score nothing
    expect(validateScheme({ ...SCHEME, indicators: [INDICATORS[8], INDICATORS[10]] })).toEqual([
      { field: 'input.indicators', message: '至少需要一个计分指标 (at least one scored indicator is needed)' },
    ]);
  });
});
