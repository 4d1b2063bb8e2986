import fs from 'node:fs';
import path from 'node:path';

/** Shapes of the committed seed files (see seeds/data/README.md). */
interface UnitSeed {
  code: string;
  name: string;
  kind: string;
}
interface AgencySeed {
  code: string;
  name: string;
  kind: string;
  source: string;
  units: UnitSeed[];
  children: AgencySeed[];
}
interface ExpectedItem {
  name: string;
  units: string[];
}

const DATA = path.join(__dirname, '../../../seeds/data');
function load<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8')) as T;
}
const roots = load<AgencySeed[]>('agencies.json');
const aliases = load<Record<string, Record<string, string>>>('unit-aliases.json');
const collective = load<Record<string, string[]>>('collective-unit-phrases.json');
const items = load<ExpectedItem[]>('yanzhou-2024-catalogue.expected.json');

const AGENCY_KINDS = ['PROVINCIAL_DEPARTMENT', 'CITY_BUREAU', 'DISTRICT_BRANCH', 'COUNTY_BUREAU'];
const UNIT_KINDS = ['SECTION', 'OFFICE', 'BRIGADE', 'DETACHMENT', 'POLICE_STATION', 'CENTER', 'OTHER'];

const all: Array<{ agency: AgencySeed; parent: AgencySeed | null }> = [];
const visit = (a: AgencySeed, parent: AgencySeed | null): void => {
  all.push({ agency: a, parent });
  a.children.forEach((c) => visit(c, a));
};
roots.forEach((r) => visit(r, null));
const byCode = new Map(all.map((x) => [x.agency.code, x]));

function ancestors(code: string): string[] {
  const out: string[] = [];
  for (let p = byCode.get(code)?.parent; p; p = byCode.get(p.code)?.parent) out.push(p.code);
  return out;
}

/** Resolves one split 公开主体 piece the way an importer would: alias, "X等…" → X, or a collective phrase. */
function resolve(agencyCode: string, piece: string): { unit: string | null; collective: boolean } {
  const map = aliases[agencyCode] ?? {};
  const phrases = collective[agencyCode] ?? [];
  const direct = map[piece];
  if (direct) return { unit: direct, collective: false };
  const head = piece.split('等')[0] ?? piece;
  const viaHead = map[head];
  if (viaHead) return { unit: viaHead, collective: true };
  if (phrases.includes(piece) || phrases.includes(head)) return { unit: null, collective: true };
  throw new Error(`${agencyCode}: cannot resolve ${piece}`);
}

describe('seeds/data/agencies.json', () => {
  it('has unique ASCII agency codes, valid kinds and a source for each agency', () => {
    expect(new Set(all.map((x) => x.agency.code)).size).toBe(all.length);
    for (const { agency } of all) {
      expect(agency.code).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(AGENCY_KINDS).toContain(agency.kind);
      expect(agency.name).toMatch(/公安/);
      expect(agency.source.length).toBeGreaterThan(10);
    }
  });

  it('places the agencies the demo seeder needs in the right tree', () => {
    expect(roots.map((r) => r.code)).toEqual(['sd', 'gd', 'js', 'fj']);
    expect(roots.every((r) => r.kind === 'PROVINCIAL_DEPARTMENT')).toBe(true);
    expect(ancestors('sd-jining-yanzhou')).toEqual(['sd-jining', 'sd']);
    expect(ancestors('sd-weihai')).toEqual(['sd']);
    expect(ancestors('gd-shanwei')).toEqual(['gd']);
    expect(ancestors('js-changshu')).toEqual(['js-suzhou', 'js']);
    expect(byCode.get('sd-jining-yanzhou')?.agency).toMatchObject({ name: '济宁市公安局兖州分局', kind: 'DISTRICT_BRANCH' });
    expect(byCode.get('js-changshu')?.agency).toMatchObject({ name: '常熟市公安局', kind: 'COUNTY_BUREAU' });
    expect(byCode.get('sd-weihai')?.agency.children).toEqual([]); // 000 names no district bureau
  });

  it('has units with unique codes and names per agency, valid kinds matching their names', () => {
    for (const { agency } of all) {
      expect(new Set(agency.units.map((u) => u.code)).size).toBe(agency.units.length);
      expect(new Set(agency.units.map((u) => u.name)).size).toBe(agency.units.length);
      for (const u of agency.units) {
        expect(u.code).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(UNIT_KINDS).toContain(u.kind);
        if (/科$/.test(u.name)) expect(u.kind).toBe('SECTION');
        if (/大队$/.test(u.name)) expect(u.kind).toBe('BRIGADE');
        if (/支队$/.test(u.name)) expect(u.kind).toBe('DETACHMENT');
        if (/[室办]$/.test(u.name)) expect(u.kind).toBe('OFFICE');
        if (/中心$/.test(u.name)) expect(u.kind).toBe('CENTER');
        if (/派出所/.test(u.name)) expect(u.kind).toBe('POLICE_STATION');
      }
    }
  });

  it('includes the 兖州 units named in document 002 and the units the demo accounts use', () => {
    const names = byCode.get('sd-jining-yanzhou')?.agency.units.map((u) => u.name) ?? [];
    expect([...names].sort()).toEqual(
      [
        '指挥中心',
        '指挥中心秘书科',
        '指挥中心宣传科',
        '指挥中心行财科',
        '指挥中心机要通信科',
        '指挥中心民意办',
        '许可服务科',
        '政工室',
        '法制大队',
        '治安大队',
        '交警大队',
        '刑侦大队',
        '户籍科',
        '出入境管理大队',
      ].sort(),
    );
    expect(names.some((n) => /各派出所/.test(n))).toBe(false);
  });
});

describe('seeds/data/unit-aliases.json', () => {
  it('maps names only to units of the same agency, and every unit name to itself', () => {
    for (const [agencyCode, map] of Object.entries(aliases)) {
      const agency = byCode.get(agencyCode)?.agency;
      if (!agency) throw new Error(`unknown agency ${agencyCode}`);
      const codes = new Set(agency.units.map((u) => u.code));
      for (const [name, code] of Object.entries(map)) expect({ name, ok: codes.has(code) }).toEqual({ name, ok: true });
      for (const u of agency.units) expect(map[u.name]).toBe(u.code);
    }
    for (const { agency } of all) if (agency.units.length > 0) expect(aliases[agency.code]).toBeDefined();
  });

  it('resolves every 公开主体 of the 兖州 catalogue', () => {
    const resolved = items.map((item) => ({ name: item.name, units: item.units.map((p) => resolve('sd-jining-yanzhou', p)) }));
    const codes = (name: string): Array<string | null> => resolved.find((r) => r.name === name)?.units.map((u) => u.unit) ?? [];
    expect(codes('部门会议')).toEqual(['yanzhou-mishuke', 'yanzhou-xuanchuanke']);
    expect(codes('重大决策执行落实')).toEqual(['yanzhou-mishuke', 'yanzhou-jiaojingdadui', 'yanzhou-xingzhendadui']);
    expect(codes('治安管理')).toEqual(['yanzhou-zhiandadui', 'yanzhou-hujike', 'yanzhou-churujingdadui', null]);
    expect(codes('工作推进')).toEqual([null]);
    expect(codes('专题展示')).toEqual(['yanzhou-fazhidadui', 'yanzhou-xukefuwuke']);
  });
});
