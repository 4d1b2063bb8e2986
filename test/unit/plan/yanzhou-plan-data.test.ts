import fs from 'node:fs';
import path from 'node:path';
import { matchUnits, type KnownUnit } from '../../../src/modules/catalogue/unit-matcher';

/** Shape of seeds/data/yanzhou-2024-plan.json (see seeds/data/README.md, section 5). */
interface PlanItem {
  number: number;
  heading: string; // number of the 一、… heading the item sits under
  title: string; // the item's first sentence, without its 。
  requirement: string; // the whole item without "N、" and without the trailing （责任单位：…）
  leadUnitsText: string; // '' when the item has no （责任单位：…）
  cooperatingUnitsText: string; // '' when there is no 配合单位
}
interface Plan {
  title: string;
  agency: string;
  documentNumber: string;
  issuedOn: string;
  year: number;
  kind: string;
  headings: Array<{ number: string; title: string }>;
  items: PlanItem[];
}
interface AgencySeed {
  code: string;
  units: Array<{ code: string; name: string }>;
  children: AgencySeed[];
}

const DATA = path.join(__dirname, '../../../seeds/data');
const load = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8')) as T;
const plan = load<Plan>('yanzhou-2024-plan.json');

/** 兖州分局's units with the aliases unit-aliases.json gives them, as the importer would build them. */
function knownUnits(agencyCode: string): KnownUnit[] {
  const find = (list: AgencySeed[]): AgencySeed | undefined =>
    list.map((a) => (a.code === agencyCode ? a : find(a.children))).find((a) => a !== undefined);
  const agency = find(load<AgencySeed[]>('agencies.json'));
  if (!agency) throw new Error(`agency ${agencyCode} missing`);
  const aliases = load<Record<string, Record<string, string>>>('unit-aliases.json')[agencyCode] ?? {};
  return agency.units.map((u) => ({
    id: u.code,
    name: u.name,
    aliases: Object.entries(aliases)
      .filter(([name, code]) => code === u.code && name !== u.name)
      .map(([name]) => name),
  }));
}

describe('seeds/data/yanzhou-2024-plan.json', () => {
  it('is 兖州分局’s 2024 implementation plan', () => {
    expect(plan).toMatchObject({
      title: '济宁市公安局兖州分局关于进一步推进政务公开工作实施方案',
      agency: 'sd-jining-yanzhou',
      documentNumber: '济兖公通〔2024〕24号',
      issuedOn: '2024-06-27',
      year: 2024,
      kind: 'IMPLEMENTATION',
    });
  });

  it('has 23 items numbered 1..23 in order, each under a listed heading', () => {
    expect(plan.items.map((i) => i.number)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    // The document has no 七、: it goes from 六、 to 八、, and the data keeps its numbering.
    expect(plan.headings.map((h) => h.number)).toEqual(['一', '二', '三', '四', '五', '六', '八']);
    const headings = plan.headings.map((h) => h.number);
    const order = plan.items.map((i) => headings.indexOf(i.heading));
    expect(order.every((o) => o >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('keeps the first sentence as title and strips the （责任单位：…） parenthesis from the requirement', () => {
    for (const item of plan.items) {
      expect(item.requirement.startsWith(`${item.title}。`)).toBe(true);
      expect(item.title).not.toContain('。');
      expect(item.requirement).not.toMatch(/^\d+、/);
      expect(item.requirement).not.toMatch(/[（(]责任单位/);
      expect(item.requirement.endsWith('。')).toBe(true);
      for (const t of [item.leadUnitsText, item.cooperatingUnitsText]) expect(t).not.toMatch(/责任单位：|配合单位：|[。（）()]/);
      if (item.leadUnitsText === '') expect(item.cooperatingUnitsText).toBe('');
    }
  });

  it('has no 责任单位 for items 1–3 (principles) and 20–23 (organisation)', () => {
    expect(plan.items.filter((i) => i.leadUnitsText === '').map((i) => i.number)).toEqual([1, 2, 3, 20, 21, 22, 23]);
  });

  it('resolves every unit name with matchUnits against 兖州分局’s units and aliases, or as a listed collective phrase', () => {
    const known = knownUnits(plan.agency);
    const phrases = load<Record<string, string[]>>('collective-unit-phrases.json')[plan.agency] ?? [];
    const resolved: Record<number, { lead: string[]; cooperating: string[] }> = {};
    for (const item of plan.items) {
      const lead = matchUnits(item.leadUnitsText, known);
      const cooperating = matchUnits(item.cooperatingUnitsText, known);
      for (const m of [lead, cooperating]) {
        expect({ item: item.number, unknown: m.unknown }).toEqual({ item: item.number, unknown: [] });
        for (const c of m.collective) expect({ item: item.number, c, listed: phrases.includes(c) }).toEqual({ item: item.number, c, listed: true });
      }
      resolved[item.number] = {
        lead: [...lead.units.map((u) => u.id), ...lead.collective],
        cooperating: [...cooperating.units.map((u) => u.id), ...cooperating.collective],
      };
    }
    // Spot checks of short names resolved through aliases.
    expect(resolved[7]).toEqual({ lead: ['yanzhou-mishuke'], cooperating: ['yanzhou-jiyaotongxinke', '发文提出部门'] });
    expect(resolved[8]?.lead).toEqual(['yanzhou-xuanchuanke', 'yanzhou-mishuke']);
    expect(resolved[15]?.lead).toEqual(['yanzhou-mishuke', 'yanzhou-xukefuwuke', 'yanzhou-jiyaotongxinke', 'yanzhou-fazhidadui']);
    expect(resolved[16]?.lead).toEqual(['yanzhou-xukefuwuke']);
    expect(resolved[18]?.lead).toEqual(['各栏目责任单位']);
    expect(resolved[19]?.lead).toEqual(['局属各单位']);
  });
});
