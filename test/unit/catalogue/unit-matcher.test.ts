import fs from 'node:fs';
import path from 'node:path';
import { isCollectivePhrase, matchUnits, splitUnitsText, type KnownUnit } from '../../../src/modules/catalogue/unit-matcher';

const DATA = path.join(__dirname, '../../../seeds/data');
const phrasesByAgency = JSON.parse(fs.readFileSync(path.join(DATA, 'collective-unit-phrases.json'), 'utf8')) as Record<string, string[]>;

const known: KnownUnit[] = [
  { id: 'mishuke', name: '指挥中心秘书科', aliases: ['秘书科'] },
  { id: 'xuanchuanke', name: '指挥中心宣传科', aliases: ['宣传科'] },
  { id: 'zhiandadui', name: '治安大队', aliases: [] },
  { id: 'hujike', name: '户籍科', aliases: [] },
  { id: 'xingzhendadui', name: '刑侦大队', aliases: [] },
  { id: 'pingan', name: '“平安厅”局长信箱工作专班', aliases: [] },
  { id: 'dengji', name: '登记等级评定中心', aliases: [] },
];

describe('splitUnitsText', () => {
  it('splits on 、，,；;/ and whitespace, trims and drops empty parts', () => {
    expect(splitUnitsText('治安大队、户籍科')).toEqual(['治安大队', '户籍科']);
    expect(splitUnitsText(' 治安大队，户籍科,刑侦大队；秘书科;宣传科/政工室 ')).toEqual(['治安大队', '户籍科', '刑侦大队', '秘书科', '宣传科', '政工室']);
    expect(splitUnitsText('治安大队  户籍科\u3000刑侦大队\n政工室')).toEqual(['治安大队', '户籍科', '刑侦大队', '政工室']);
    expect(splitUnitsText('、、治安大队、 、')).toEqual(['治安大队']);
    expect(splitUnitsText('')).toEqual([]);
    expect(splitUnitsText('   ')).toEqual([]);
  });
});

describe('isCollectivePhrase', () => {
  it('recognises every phrase in seeds/data/collective-unit-phrases.json', () => {
    for (const [agency, phrases] of Object.entries(phrasesByAgency)) {
      for (const p of phrases) expect({ agency, p, collective: isCollectivePhrase(p) }).toEqual({ agency, p, collective: true });
    }
  });

  it('applies the general rules to phrases not listed', () => {
    for (const p of ['各大队', '局属各部门', '相关科室', '有关大队', '机关各科室', '治安系统有关科室', '涉案警种单位', '派出所各单位', '等有关单位', '其他有关部门']) {
      expect({ p, collective: isCollectivePhrase(p) }).toEqual({ p, collective: true });
    }
  });

  it('does not take unit names for collective phrases', () => {
    for (const p of ['治安大队', '户籍科', '指挥中心秘书科', '许可服务科', '城关派出所', '']) {
      expect({ p, collective: isCollectivePhrase(p) }).toEqual({ p, collective: false });
    }
  });
});

describe('matchUnits', () => {
  it('matches names and aliases, recording the text matched', () => {
    expect(matchUnits('指挥中心秘书科、宣传科', known)).toEqual({
      units: [
        { id: 'mishuke', name: '指挥中心秘书科', matchedText: '指挥中心秘书科' },
        { id: 'xuanchuanke', name: '指挥中心宣传科', matchedText: '宣传科' },
      ],
      collective: [],
      unknown: [],
    });
  });

  it('splits "X等Y" at the first 等: X a unit, "等Y" collective', () => {
    expect(matchUnits('指挥中心秘书科、刑侦大队等重大决策执行涉及警种单位', known)).toEqual({
      units: [
        { id: 'mishuke', name: '指挥中心秘书科', matchedText: '指挥中心秘书科' },
        { id: 'xingzhendadui', name: '刑侦大队', matchedText: '刑侦大队' },
      ],
      collective: ['等重大决策执行涉及警种单位'],
      unknown: [],
    });
    expect(matchUnits('指挥中心秘书科等有关科室', known)).toMatchObject({ units: [{ id: 'mishuke' }], collective: ['等有关科室'], unknown: [] });
  });

  it('keeps a collective head of "X等Y" as collective, not unknown', () => {
    expect(matchUnits('治安大队、户籍科、各派出所等有关科室', known)).toEqual({
      units: [
        { id: 'zhiandadui', name: '治安大队', matchedText: '治安大队' },
        { id: 'hujike', name: '户籍科', matchedText: '户籍科' },
      ],
      collective: ['各派出所', '等有关科室'],
      unknown: [],
    });
  });

  it('reports an unknown head of "X等Y" as unknown and the tail as collective', () => {
    expect(matchUnits('巡特警大队等有关科室', known)).toEqual({ units: [], collective: ['等有关科室'], unknown: ['巡特警大队'] });
  });

  it('prefers a whole unit name containing 等 over splitting it', () => {
    expect(matchUnits('登记等级评定中心', known).units.map((u) => u.id)).toEqual(['dengji']);
  });

  it('puts collective phrases in collective and the rest in unknown', () => {
    expect(matchUnits('局属有关单位、相关警种单位、禁毒大队、各派出所', known)).toEqual({
      units: [],
      collective: ['局属有关单位', '相关警种单位', '各派出所'],
      unknown: ['禁毒大队'],
    });
  });

  it('lists each unit once, and each unknown or collective phrase once', () => {
    const m = matchUnits('秘书科、指挥中心秘书科、禁毒大队、禁毒大队、各派出所、各派出所', known);
    expect(m.units).toEqual([{ id: 'mishuke', name: '指挥中心秘书科', matchedText: '秘书科' }]);
    expect(m.unknown).toEqual(['禁毒大队']);
    expect(m.collective).toEqual(['各派出所']);
  });

  it('treats full- and half-width quotes and parentheses alike', () => {
    expect(matchUnits('"平安厅"局长信箱工作专班', known).units.map((u) => u.id)).toEqual(['pingan']);
    const withParens: KnownUnit[] = [{ id: 'p', name: '派出所（城区）', aliases: [] }];
    expect(matchUnits('派出所(城区)', withParens).units).toEqual([{ id: 'p', name: '派出所（城区）', matchedText: '派出所(城区)' }]);
  });

  it('lets a unit name win over another unit’s alias', () => {
    const units: KnownUnit[] = [
      { id: 'a', name: '指挥中心宣传科', aliases: ['宣传科'] },
      { id: 'b', name: '宣传科', aliases: [] },
    ];
    expect(matchUnits('宣传科', units).units.map((u) => u.id)).toEqual(['b']);
  });

  it('splits on whitespace, but keeps a known unit whose name contains a space whole', () => {
    const units: KnownUnit[] = [...known, { id: 'spaced', name: '单位 city-u', aliases: [] }];
    expect(matchUnits('治安大队 户籍科', units).units.map((u) => u.id)).toEqual(['zhiandadui', 'hujike']);
    expect(matchUnits('单位 city-u、单位  city-u、治安大队', units).units).toEqual([
      { id: 'spaced', name: '单位 city-u', matchedText: '单位 city-u' },
      { id: 'zhiandadui', name: '治安大队', matchedText: '治安大队' },
    ]);
    expect(matchUnits('治安大队 禁毒大队', units)).toMatchObject({ units: [{ id: 'zhiandadui' }], unknown: ['禁毒大队'] });
  });

  it('gives nothing for an empty cell', () => {
    expect(matchUnits('  ', known)).toEqual({ units: [], collective: [], unknown: [] });
  });
});
