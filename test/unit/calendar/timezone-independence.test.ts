import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const moduleDir = path.join(repoRoot, 'src/modules/calendar');

/**
 * Runs the same computations in a child process under a given TZ. Changing process.env.TZ inside the
 * Jest worker is unreliable (V8 caches the zone), so a fresh `node` is the honest test.
 */
const SCRIPT = `
const engine = require(${JSON.stringify(path.join(moduleDir, 'deadline-engine.ts'))});
const { WorkingCalendar } = require(${JSON.stringify(path.join(moduleDir, 'working-calendar.ts'))});
const calendar = new WorkingCalendar({ entries: [{ date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' }] });
const out = {
  tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
  national: engine.computeDeadline({ rule: { kind: 'WORKING_DAYS', days: 20 }, start: '2024-09-25' }, calendar),
  spring: engine.computeDeadline({ rule: { kind: 'WORKING_DAYS', days: 10 }, start: '2024-02-01', extensionWorkingDays: 3 }, calendar),
  into2027: engine.computeDeadline({ rule: { kind: 'WORKING_DAYS', days: 20 }, start: '2026-12-15' }, calendar),
  paused: engine.computeDeadline({ rule: { kind: 'CALENDAR_DAYS', days: 15 }, start: '2024-03-01', pauses: [{ from: '2024-03-05', to: '2024-03-07' }] }, calendar),
  hours: engine.computeDeadline({ rule: { kind: 'HOURS', hours: 2 }, start: '2024-09-30T23:30' }, calendar),
  hoursZ: engine.computeDeadline({ rule: { kind: 'HOURS', hours: 2 }, start: '2024-09-30T15:30:00Z' }, calendar),
  instantStart: engine.computeDeadline({ rule: { kind: 'WORKING_DAYS', days: 1 }, start: '2024-09-30T16:30:00Z' }, calendar),
  yearly: engine.computeDeadline({ rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, start: '2024-12-31' }, calendar),
  keep: engine.computeDeadline({ rule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, start: '2024-01-15' }, calendar),
  day: calendar.dayInfo('2024-10-01'),
  today: engine.todayInChina(new Date(Date.UTC(2024, 8, 30, 16, 30))),
  status: engine.deadlineStatus({ due: '2024-10-09', today: '2024-09-30' }),
};
process.stdout.write(JSON.stringify(out));
`;

function runUnder(tz: string): Record<string, unknown> {
  const stdout = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', SCRIPT], {
    cwd: repoRoot,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('time-zone independence', () => {
  it('gives identical results in Los Angeles, Shanghai, UTC and Kiritimati (UTC+14)', () => {
    const zones = ['America/Los_Angeles', 'Asia/Shanghai', 'UTC', 'Pacific/Kiritimati'];
    const results = zones.map(runUnder);
    expect(results.map((r) => r.tz)).toEqual(zones);
    const strip = (r: Record<string, unknown>) => ({ ...r, tz: undefined });
    for (const r of results.slice(1)) expect(strip(r)).toEqual(strip(results[0]!));

    const la = results[0]!;
    expect((la.national as { due: string }).due).toBe('2024-10-28');
    expect((la.spring as { due: string }).due).toBe('2024-02-23');
    expect((la.into2027 as { due: string }).due).toBe('2027-01-13');
    expect((la.paused as { due: string }).due).toBe('2024-03-19');
    expect(la.hours).toMatchObject({ due: '2024-10-01', dueInstant: '2024-10-01T01:30:00+08:00' });
    expect(la.hoursZ).toMatchObject({ due: '2024-10-01', dueInstant: '2024-10-01T01:30:00+08:00' });
    expect((la.instantStart as { due: string }).due).toBe('2024-10-08');
    expect((la.yearly as { due: string }).due).toBe('2025-01-31');
    expect((la.keep as { due: string }).due).toBe('2024-02-14');
    expect(la.day).toMatchObject({ date: '2024-10-01', reason: 'HOLIDAY', name: '国庆节' });
    expect(la.today).toBe('2024-10-01');
    expect(la.status).toBe('DUE_SOON');
  }, 60_000);

  it('the calendar sources use no process-local date getters and no local date parsing', () => {
    for (const file of ['date-utils.ts', 'working-calendar.ts', 'deadline-engine.ts']) {
      const source = readFileSync(path.join(moduleDir, file), 'utf8');
      expect(source).not.toMatch(/\.(getFullYear|getMonth|getDate|getDay|getHours|getMinutes|getSeconds|getTimezoneOffset)\(/);
      expect(source).not.toMatch(/\.(setFullYear|setMonth|setDate|setHours)\(/);
      expect(source).not.toMatch(/toLocale\w*\(/);
      // chinese-days' functions format dates with local getters; only its data file may be used.
      expect(source).not.toMatch(/from 'chinese-days'/);
    }
  });
});
