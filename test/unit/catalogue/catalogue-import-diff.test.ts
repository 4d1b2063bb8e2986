import { changedFields, importedValues, sameRuleValue, type ItemValues } from '../../../src/modules/catalogue/catalogue-import-diff';
import type { ItemDraft } from '../../../src/modules/catalogue/catalogue-rows';

const draft = (over: Partial<ItemDraft> = {}): ItemDraft => ({
  rowNumber: 3,
  category: '工作动态',
  name: '部门动态',
  content: '本部门工作动态',
  disclosureType: 'EXECUTION',
  unitsText: '指挥中心宣传科',
  unitIds: ['u1'],
  unknownUnits: [],
  timeLimitText: '动态跟新',
  deadlineRule: null,
  deadlineEvent: null,
  timeLimitWarning: '无法识别“动态跟新”',
  channels: ['政府网站'],
  audience: '全社会',
  legalBasis: '',
  websiteColumn: '',
  ...over,
});

const stored = (over: Partial<ItemValues> = {}): ItemValues => ({
  position: 1,
  content: '本部门工作动态',
  disclosureType: 'EXECUTION',
  unitsText: '指挥中心宣传科',
  unitIds: ['u1'],
  timeLimitText: '动态跟新',
  deadlineRule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 },
  deadlineEvent: null,
  timeLimitWarning: null,
  channels: ['政府网站'],
  audience: '全社会',
  legalBasis: '',
  websiteColumn: null,
  ...over,
});

describe('import diff', () => {
  it('keeps a hand-set rule when the row carries the same unreadable wording', () => {
    const { values, keptRule } = importedValues(draft(), ['u1'], 1, stored());
    expect(keptRule).toBe(true);
    expect(values.deadlineRule).toEqual({ kind: 'KEEP_CURRENT', maxAgeDays: 30 });
    expect(changedFields(stored(), values)).toEqual([]);
  });

  it('new wording replaces the rule and names both fields', () => {
    const d = draft({ timeLimitText: '每年的1月31日前公开', deadlineRule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, timeLimitWarning: null });
    const { values, keptRule } = importedValues(d, ['u1'], 1, stored());
    expect(keptRule).toBe(false);
    expect(changedFields(stored(), values)).toEqual(['timeLimitText', 'deadlineRule']);
  });

  it('names each edited column, units as a set, blanks normalised as on write', () => {
    const { values } = importedValues(draft({ content: '改', channels: ['政府网站', '政务微信'], audience: '' }), ['u2', 'u1'], 2, stored({ unitIds: ['u1'] }));
    expect(changedFields(stored(), values)).toEqual(['position', 'content', 'responsibleUnits', 'channels']);
    // the same units in another order (or named twice) are no change
    expect(changedFields(stored({ unitIds: ['u1', 'u2'] }), importedValues(draft(), ['u2', 'u1', 'u2'], 1, stored()).values)).toEqual([]);
  });

  it('compares rules by value whatever the key order (jsonb reorders keys)', () => {
    expect(sameRuleValue({ days: 20, kind: 'WORKING_DAYS' } as never, { kind: 'WORKING_DAYS', days: 20 })).toBe(true);
    expect(sameRuleValue({ kind: 'KEEP_CURRENT' }, { kind: 'KEEP_CURRENT', maxAgeDays: null })).toBe(true);
    expect(sameRuleValue({ kind: 'WORKING_DAYS', days: 20 }, { kind: 'CALENDAR_DAYS', days: 20 })).toBe(false);
    expect(sameRuleValue(null, undefined)).toBe(true);
    expect(sameRuleValue(null, { kind: 'KEEP_CURRENT' })).toBe(false);
  });
});
