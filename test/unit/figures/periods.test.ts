import { addDays } from '../../../src/modules/calendar/date-utils';
import { periodReadParams, periodSegments, type BucketSegment } from '../../../src/figures/periods';

/** Every day a segment list covers, expanded (month and year keys expand to their days). */
function days(segments: BucketSegment[]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    for (let key = s.from; key <= s.to; ) {
      const end =
        s.grain === 'D' ? key : s.grain === 'M' ? addDays(`${key.slice(0, 7)}-01`, 31).slice(0, 7) + '-01' : `${Number(key.slice(0, 4)) + 1}-01-01`;
      if (s.grain === 'D') {
        out.push(key);
        key = addDays(key, 1);
      } else {
        for (let d = key; d < end; d = addDays(d, 1)) out.push(d);
        key = end;
      }
    }
  }
  return out;
}

function everyDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

describe('period segments over day, month and year buckets', () => {
  it('reads a calendar year as one year bucket', () => {
    expect(periodSegments('2026-01-01', '2026-12-31')).toEqual([{ grain: 'Y', from: '2026-01-01', to: '2026-01-01' }]);
  });

  it('reads whole years, then whole months, then days, merging neighbours of one grain', () => {
    expect(periodSegments('2024-11-15', '2026-03-10')).toEqual([
      { grain: 'D', from: '2024-11-15', to: '2024-11-30' },
      { grain: 'M', from: '2024-12-01', to: '2024-12-01' },
      { grain: 'Y', from: '2025-01-01', to: '2025-01-01' },
      { grain: 'M', from: '2026-01-01', to: '2026-02-01' },
      { grain: 'D', from: '2026-03-01', to: '2026-03-10' },
    ]);
    expect(periodSegments('2024-01-01', '2025-12-31')).toEqual([{ grain: 'Y', from: '2024-01-01', to: '2025-01-01' }]);
    expect(periodSegments('2026-07-01', '2026-12-31')).toEqual([{ grain: 'M', from: '2026-07-01', to: '2026-12-01' }]);
  });

  it('handles single days, month ends and leap days', () => {
    expect(periodSegments('2024-02-29', '2024-02-29')).toEqual([{ grain: 'D', from: '2024-02-29', to: '2024-02-29' }]);
    expect(periodSegments('2024-02-01', '2024-02-29')).toEqual([{ grain: 'M', from: '2024-02-01', to: '2024-02-01' }]);
    expect(periodSegments('2025-02-01', '2025-02-27')).toEqual([{ grain: 'D', from: '2025-02-01', to: '2025-02-27' }]);
    expect(periodSegments('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('covers every day of any period exactly once (exhaustive over a range of periods)', () => {
    const starts = ['2023-12-31', '2024-01-01', '2024-02-28', '2024-06-15', '2024-12-01', '2025-01-31'];
    const ends = ['2024-01-01', '2024-02-29', '2024-12-31', '2025-03-01', '2025-12-31', '2026-07-04'];
    for (const from of starts) {
      for (const to of ends) {
        if (to < from) continue;
        expect({ from, to, days: days(periodSegments(from, to)) }).toEqual({ from, to, days: everyDay(from, to) });
      }
    }
  });

  it('adds the days from today to the period end as the pending part', () => {
    const [parts, grains, froms, tos] = periodReadParams('2026-01-01', '2026-12-31', '2026-11-20');
    expect(parts).toBe('{T,P,P}');
    expect(grains).toBe('{Y,D,M}');
    expect(froms).toBe('{2026-01-01,2026-11-20,2026-12-01}');
    expect(tos).toBe('{2026-01-01,2026-11-30,2026-12-01}');
    // today after the period: nothing is pending; today before it: all of it is
    expect(periodReadParams('2025-01-01', '2025-12-31', '2026-11-20')[0]).toBe('{T}');
    expect(periodReadParams('2027-01-01', '2027-12-31', '2026-11-20')).toEqual(['{T,P}', '{Y,Y}', '{2027-01-01,2027-01-01}', '{2027-01-01,2027-01-01}']);
  });
});
