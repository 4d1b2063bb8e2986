import ExcelJS from 'exceljs';
import {
  SHEET_COLUMNS,
  SHEET_HEADERS,
  cleanCellText,
  neutraliseCellText,
  readCatalogueSheet,
  restoreCellText,
  writeCatalogueSheet,
  type SheetColumn,
  type SheetProblem,
} from '../../../src/modules/catalogue/catalogue-sheet';

type Cell = ExcelJS.CellValue;

/** A one-sheet workbook from rows of cell values; `merges` are "A4:A5" ranges. */
async function xlsx(rows: Cell[][], merges: string[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r, i) =>
    r.forEach((v, c) => {
      if (v !== null && v !== undefined) ws.getCell(i + 1, c + 1).value = v;
    }),
  );
  for (const m of merges) ws.mergeCells(m);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function csv(text: string, bom = true): Buffer {
  return Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf8');
}

function codes(problems: SheetProblem[]): string[] {
  return problems.map((p) => p.code);
}

function row(partial: Partial<Record<SheetColumn, string>>): Record<SheetColumn, string> {
  return { ...Object.fromEntries(SHEET_COLUMNS.map((c) => [c, ''])), ...partial } as Record<SheetColumn, string>;
}

const TITLE = '2024年某某公安局主动公开基本目录';
const H = ['目录类别', '目录名称', '公开内容', '政务五公开', '公开主体（责任单位）', '公开时限', '公开方式', '公开对象'];

describe('SHEET_HEADERS', () => {
  it('names the ten columns canonically', () => {
    expect(SHEET_COLUMNS.map((c) => SHEET_HEADERS[c])).toEqual([
      '目录类别',
      '目录名称',
      '公开内容',
      '政务五公开',
      '公开主体（责任单位）',
      '公开时限',
      '公开方式',
      '公开对象',
      '公开依据',
      '网站栏目',
    ]);
  });
});

describe('neutraliseCellText / restoreCellText', () => {
  it('quotes formula-leading text and restores exactly what was quoted', () => {
    for (const t of ['=1+1', '+cmd', '-2+3', '@SUM(1)', '\tx', '\rx']) expect(neutraliseCellText(t)).toBe(`'${t}`);
    for (const t of ['普通文本', '20', "'单引号开头", 'a=b', '']) expect(neutraliseCellText(t)).toBe(t);
    // Text already starting with quotes before such a character gets one more, so the round trip is exact.
    expect(neutraliseCellText("'=x")).toBe("''=x");
    for (const t of ['=1+1', '-2', "'=x", "''@y", "'单引号开头", '普通文本', "'", '']) {
      expect(restoreCellText(neutraliseCellText(t))).toBe(t);
    }
  });
});

describe('cleanCellText', () => {
  it('trims, drops line breaks between Chinese characters and keeps Latin words apart', () => {
    expect(cleanCellText('  公开本部门\n财政预决算 ')).toBe('公开本部门财政预决算');
    expect(cleanCellText('公开本部门 \r\n 财政预决算')).toBe('公开本部门财政预决算');
    expect(cleanCellText('“三定”\n方案')).toBe('“三定”方案');
    expect(cleanCellText('see\nhttp://example.org')).toBe('see http://example.org');
  });
});

describe('readCatalogueSheet — XLSX', () => {
  it('finds headers below a title row, in any order, and returns the title', async () => {
    const file = await xlsx(
      [
        [TITLE],
        ['公开时限', '目录名称', '公开主体(责任单位)', '目录类别', '公开内容', '网站栏目'],
        ['20个工作日内', '部门文件', '指挥中心秘书科', '政策文件', '本单位发布的文件', '信息公开/政策文件'],
      ],
      ['A1:F1'],
    );
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe(TITLE);
    expect(sheet.rows).toEqual([
      {
        rowNumber: 3,
        cells: row({ category: '政策文件', name: '部门文件', content: '本单位发布的文件', units: '指挥中心秘书科', timeLimit: '20个工作日内', websiteColumn: '信息公开/政策文件' }),
      },
    ]);
  });

  it('accepts header variants: whitespace, line breaks, half-width parentheses, short names', async () => {
    const file = await xlsx([
      [' 目 录 类 别 ', '目录名称', '公开内容', '五公开', '公开主体\n（责任单位）', '时限', '公开渠道', '公开对象', '公开依据', '栏目'],
      ['类', '名', '内容', '决策公开', '政工室', '动态更新', '政府网站', '全社会', '《条例》', '机构'],
    ]);
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBeNull();
    expect(sheet.rows[0]?.cells).toEqual({
      category: '类',
      name: '名',
      content: '内容',
      disclosureType: '决策公开',
      units: '政工室',
      timeLimit: '动态更新',
      channels: '政府网站',
      audience: '全社会',
      legalBasis: '《条例》',
      websiteColumn: '机构',
    });
    for (const units of ['公开主体', '责任单位', '公开主体（责任单位）']) {
      const f = await xlsx([['目录类别', '目录名称', '公开内容', units, '公开时限', '公开类别'], ['a', 'b', 'c', 'd', 'e', '结果公开']]);
      const s = await readCatalogueSheet(f, 'XLSX');
      expect({ units, problems: s.problems, cells: s.rows[0]?.cells.units, type: s.rows[0]?.cells.disclosureType }).toEqual({
        units,
        problems: [],
        cells: 'd',
        type: '结果公开',
      });
    }
  });

  it('fills vertically merged cells from their master; leaves horizontal continuations empty', async () => {
    const file = await xlsx(
      [
        [TITLE],
        H,
        ['机构职能', '主要职责', '职责和内设机构', '管理公开', '政工室', '20个工作日内', '政府网站', '全社会'],
        [null, '机构设置', null, null, '政工室', '20个工作日内', '政府网站、政务微博', null],
        ['建议提案', '总体情况', '公开总体情况', '结果公开', '秘书科', '20个工作日内', '政府网站', '全社会'],
      ],
      ['A1:H1', 'A3:A4', 'C3:C4', 'G5:H5'],
    );
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe(TITLE);
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells.category, r.cells.content, r.cells.disclosureType, r.cells.audience])).toEqual([
      [3, '机构职能', '职责和内设机构', '管理公开', '全社会'],
      [4, '机构职能', '职责和内设机构', '', ''],
      [5, '建议提案', '公开总体情况', '结果公开', ''],
    ]);
    expect(sheet.rows[2]?.cells.channels).toBe('政府网站');
  });

  it('turns rich text, formula results, numbers and hyperlinks into plain text', async () => {
    const file = await xlsx([
      H,
      [
        { richText: [{ text: '政策' }, { font: { bold: true }, text: '文件' }] },
        { formula: 'CONCATENATE("部门","文件")', result: '部门文件' },
        { text: '本单位发布的文件', hyperlink: 'http://example.org' },
        null,
        '秘书科',
        { formula: '1+19', result: 20 },
        '政府网站',
        { formula: 'NA()', result: { error: '#N/A' } },
      ],
    ]);
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows[0]?.cells).toMatchObject({ category: '政策文件', name: '部门文件', content: '本单位发布的文件', timeLimit: '20', audience: '' });
  });

  it('skips empty rows and rows repeating the header, and collapses line breaks in Chinese text', async () => {
    const file = await xlsx([
      H,
      ['政策文件', '部门\n文件', '本单位\n发布的文件', '', '秘书科', '20个工作日内', '政府网站', '全社会'],
      [],
      ['', '', '', '', '', '', '', ''],
      H,
      ['会议公开', '部门会议', '公开本部门会议', '', '秘书科', '20个工作日内', '政府网站', '全社会'],
    ]);
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells.name, r.cells.content])).toEqual([
      [2, '部门文件', '本单位发布的文件'],
      [6, '部门会议', '公开本部门会议'],
    ]);
  });

  it('continues an empty 目录类别 from the row above when the file has no merges', async () => {
    const file = await xlsx([
      H,
      ['机构职能', '主要职责', 'x', '', '政工室', '动态更新', '', ''],
      ['', '机构设置', 'y', '', '政工室', '动态更新', '', ''],
      ['领导信息', '部门领导', 'z', '', '政工室', '动态更新', '', ''],
    ]);
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.rows.map((r) => r.cells.category)).toEqual(['机构职能', '机构职能', '领导信息']);
  });

  it('reports missing required headers by name, and finds no header row at all in a table without one', async () => {
    const missing = await readCatalogueSheet(await xlsx([['目录类别', '目录名称', '政务五公开', '公开对象'], ['a', 'b', '决策公开', '全社会']]), 'XLSX');
    expect(missing.problems.map((p) => [p.code, p.column, p.field, p.severity, p.row])).toEqual([
      ['MISSING_HEADER', '公开内容', 'content', 'ERROR', 1],
      ['MISSING_HEADER', '公开主体（责任单位）', 'units', 'ERROR', 1],
      ['MISSING_HEADER', '公开时限', 'timeLimit', 'ERROR', 1],
    ]);
    expect(missing.problems[0]?.message).toMatch(/缺少表头“公开内容”.*\(missing header/);

    const none = await readCatalogueSheet(await xlsx([['序号', '事项', '说明'], ['1', 'a', 'b']]), 'XLSX');
    expect(codes(none.problems)).toEqual(['MISSING_HEADER', 'MISSING_HEADER', 'MISSING_HEADER', 'MISSING_HEADER', 'MISSING_HEADER']);
    expect(none.rows).toEqual([]);
  });

  it('only looks for headers in the first 10 rows', async () => {
    const notes: Cell[][] = Array.from({ length: 10 }, (_, i) => [`说明第${i + 1}行`]);
    const sheet = await readCatalogueSheet(await xlsx([...notes, H, ['a', 'b', 'c', '', 'd', 'e', '', '']]), 'XLSX');
    expect(codes(sheet.problems)).toContain('MISSING_HEADER');
    const nine = await readCatalogueSheet(await xlsx([...notes.slice(0, 9), H, ['a', 'b', 'c', '', 'd', 'e', '', '']]), 'XLSX');
    expect(nine.problems).toEqual([]);
    expect(nine.title).toBe('说明第1行');
    expect(nine.rows[0]?.rowNumber).toBe(11);
  });

  it('reports a duplicate header with the header text as written', async () => {
    const sheet = await readCatalogueSheet(await xlsx([[...H, '时限'], ['a', 'b', 'c', '', 'd', 'e', '', '', 'f']]), 'XLSX');
    expect(sheet.problems).toEqual([
      expect.objectContaining({ row: 1, column: '时限', field: 'timeLimit', severity: 'ERROR', code: 'DUPLICATE_HEADER' }),
    ]);
    // The first of the two columns is the one read.
    expect(sheet.rows[0]?.cells.timeLimit).toBe('e');
  });

  it('reports an empty 目录类别 on the first data row', async () => {
    const sheet = await readCatalogueSheet(await xlsx([H, ['', '部门文件', 'c', '', 'd', 'e', '', ''], ['', '部门会议', 'c', '', 'd', 'e', '', '']]), 'XLSX');
    expect(sheet.problems.map((p) => [p.code, p.row, p.column, p.field, p.severity])).toEqual([
      ['EMPTY_CATEGORY', 2, '目录类别', 'category', 'ERROR'],
      ['EMPTY_CATEGORY', 3, '目录类别', 'category', 'ERROR'],
    ]);
  });

  it('reports the wrong file type instead of throwing', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    for (const data of [png, Buffer.alloc(0), Buffer.from('PK\u0003\u0004 definitely not a zip'), Buffer.from('目录类别,目录名称\n', 'utf8')]) {
      const sheet = await readCatalogueSheet(data, 'XLSX');
      expect(sheet.rows).toEqual([]);
      expect(sheet.title).toBeNull();
      expect(sheet.problems).toEqual([expect.objectContaining({ row: null, severity: 'ERROR', code: 'UNREADABLE_FILE' })]);
    }
  });

  it('reads only the first worksheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('目录').addRows([H, ['a', 'b', 'c', '', 'd', 'e', '', '']]);
    wb.addWorksheet('说明').addRows([H, ['x', 'y', 'z', '', 'd', 'e', '', '']]);
    const sheet = await readCatalogueSheet(Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer), 'XLSX');
    expect(sheet.rows.map((r) => r.cells.category)).toEqual(['a']);
  });
});

describe('readCatalogueSheet — CSV', () => {
  it('handles a UTF-8 BOM, quoted cells with commas, quotes and line breaks, and CRLF', async () => {
    const text = [
      '目录类别,目录名称,公开内容,政务五公开,公开主体（责任单位）,公开时限,公开方式,公开对象',
      '执行和落实情况公开,重大决策执行落实,"公开政府工作报告,年度重点工作","执行公开","指挥中心秘书科、交警大队","相关信息形成或变更之日起\n20个工作日内",政府网站,全社会',
      '"“双随机、一公开”",专题展示,"含""引号""的内容",,许可服务科,动态更新,"政府网站, 政务微信",全社会',
    ].join('\r\n');
    const sheet = await readCatalogueSheet(csv(text), 'CSV');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBeNull();
    expect(sheet.rows).toEqual([
      {
        rowNumber: 2,
        cells: row({
          category: '执行和落实情况公开',
          name: '重大决策执行落实',
          content: '公开政府工作报告,年度重点工作',
          disclosureType: '执行公开',
          units: '指挥中心秘书科、交警大队',
          timeLimit: '相关信息形成或变更之日起20个工作日内',
          channels: '政府网站',
          audience: '全社会',
        }),
      },
      {
        rowNumber: 3,
        cells: row({
          category: '“双随机、一公开”',
          name: '专题展示',
          content: '含"引号"的内容',
          units: '许可服务科',
          timeLimit: '动态更新',
          channels: '政府网站, 政务微信',
          audience: '全社会',
        }),
      },
    ]);
  });

  it('reads a CSV without BOM, with a title line, and continues empty categories without filling other columns', async () => {
    const text = [
      `${TITLE},,,,,`,
      '目录名称,目录类别,公开内容,公开主体,公开时限,政务五公开',
      '主要职责,机构职能,职责,政工室,动态更新,管理公开',
      '机构设置,,内设机构,政工室,动态更新,',
      ',,,,,',
      '部门领导,领导信息,领导,政工室,动态更新,',
    ].join('\n');
    const sheet = await readCatalogueSheet(csv(text, false), 'CSV');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe(TITLE);
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells.category, r.cells.name, r.cells.disclosureType])).toEqual([
      [3, '机构职能', '主要职责', '管理公开'],
      [4, '机构职能', '机构设置', ''],
      [6, '领导信息', '部门领导', ''],
    ]);
  });

  it('reports binary garbage, non-UTF-8 (GBK) text, an empty file and malformed quoting as UNREADABLE_FILE', async () => {
    const random = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 137 + 41) % 256));
    // "目录类别,目录名称" in GBK.
    const gbk = Buffer.from('c4bfc2bcc0e0b1f02cc4bfc2bcc3fbb3c60d0a', 'hex');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const cases: Array<[Buffer, RegExp]> = [
      [random, /.+\(.+\)/],
      [gbk, /UTF-8/],
      [png, /.+/],
      [Buffer.alloc(0), /文件为空/],
      [Buffer.from('\uFEFF  \r\n', 'utf8'), /文件为空/],
      [Buffer.from('\u0000\u0001\u0002abc', 'utf8'), /不是文本/],
      [csv('目录类别,目录名称\n"未闭合的引号,b\n'), /CSV/],
    ];
    for (const [data, message] of cases) {
      const sheet = await readCatalogueSheet(data, 'CSV');
      expect(sheet.rows).toEqual([]);
      expect(sheet.problems).toHaveLength(1);
      expect(sheet.problems[0]).toMatchObject({ row: null, column: null, severity: 'ERROR', code: 'UNREADABLE_FILE' });
      expect(sheet.problems[0]?.message).toMatch(message);
    }
  });

  it('refuses more than 5000 data rows', async () => {
    const lines = ['目录类别,目录名称,公开内容,公开主体,公开时限'];
    for (let i = 1; i <= 5001; i++) lines.push(`类别,名称${i},内容,政工室,动态更新`);
    const sheet = await readCatalogueSheet(csv(lines.join('\n')), 'CSV');
    expect(sheet.problems).toEqual([expect.objectContaining({ row: null, severity: 'ERROR', code: 'TOO_MANY_ROWS' })]);
    const ok = await readCatalogueSheet(csv(lines.slice(0, 5001).join('\n')), 'CSV');
    expect(ok.problems).toEqual([]);
    expect(ok.rows).toHaveLength(5000);
  });
});

describe('writeCatalogueSheet', () => {
  const rows = [
    row({ category: '政策文件', name: '部门文件', content: '本单位发布的文件', disclosureType: '政策公开', units: '指挥中心秘书科', timeLimit: '相关信息形成或变更之日起20个工作日内', channels: '政府网站', audience: '全社会' }),
    row({
      category: '政策文件',
      name: '含,逗号"引号"的名称',
      content: '=1+1 不是公式',
      units: '秘书科、宣传科',
      timeLimit: '20',
      channels: '政府网站、政务微信',
      audience: '全社会',
      legalBasis: '《中华人民共和国政府信息公开条例》第二十条',
      websiteColumn: '政府信息公开/法定主动公开内容',
    }),
    row({ category: '机构职能', name: '主要职责', content: 'Line one, and two', units: '政工室', timeLimit: '动态更新' }),
  ];

  it('writes an XLSX with a merged title row, bold canonical headers, one row per item and column widths', async () => {
    const data = await writeCatalogueSheet(TITLE, rows, 'XLSX');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no worksheet');
    expect(ws.getCell('A1').value).toBe(TITLE);
    expect(ws.model.merges).toEqual(['A1:J1']);
    expect(SHEET_COLUMNS.map((_, i) => ws.getCell(2, i + 1).value)).toEqual(SHEET_COLUMNS.map((c) => SHEET_HEADERS[c]));
    expect(ws.getCell(2, 1).font?.bold).toBe(true);
    expect(ws.rowCount).toBe(2 + rows.length);
    // Text, not a formula, and quoted so that spreadsheet programs do not run it (CSV injection).
    expect(ws.getCell('C4').value).toBe("'=1+1 不是公式");
    expect(ws.getCell('F4').value).toBe('20'); // text, not a number
    for (let c = 1; c <= 10; c++) expect(ws.getColumn(c).width).toBeGreaterThanOrEqual(10);
    expect(wb.created.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('writes the same bytes whatever the time (fixed workbook and zip dates)', async () => {
    // Only Date is faked: exceljs and JSZip need real timers and microtasks to finish.
    const writeAt = async (iso: string): Promise<Buffer> => {
      jest.useFakeTimers({ now: new Date(iso), doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
      try {
        return await writeCatalogueSheet(TITLE, rows, 'XLSX');
      } finally {
        jest.useRealTimers();
      }
    };
    const a = await writeAt('2030-03-04T05:06:08Z');
    const b = await writeAt('2031-07-08T09:10:12Z');
    expect(a.equals(b)).toBe(true);
  });

  it('writes a CSV with BOM, CRLF, a header row, no title and RFC 4180 quoting', async () => {
    const data = await writeCatalogueSheet(TITLE, rows, 'CSV');
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = data.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('目录类别,目录名称,公开内容,政务五公开,公开主体（责任单位）,公开时限,公开方式,公开对象,公开依据,网站栏目');
    expect(text).not.toContain(TITLE);
    expect(text).toContain('"含,逗号""引号""的名称"');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it.each(['XLSX', 'CSV'] as const)('reads back what it wrote (%s)', async (format) => {
    const sheet = await readCatalogueSheet(await writeCatalogueSheet(TITLE, rows, format), format);
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe(format === 'XLSX' ? TITLE : null);
    expect(sheet.rows.map((r) => r.cells)).toEqual(rows);
    expect(sheet.rows.map((r) => r.rowNumber)).toEqual(format === 'XLSX' ? [3, 4, 5] : [2, 3, 4]);
  });

  it('omits the title row when the title is empty, and writes a header-only file for no rows', async () => {
    const sheet = await readCatalogueSheet(await writeCatalogueSheet('', rows, 'XLSX'), 'XLSX');
    expect(sheet.title).toBeNull();
    expect(sheet.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4]);
    for (const format of ['XLSX', 'CSV'] as const) {
      const empty = await readCatalogueSheet(await writeCatalogueSheet(TITLE, [], format), format);
      expect({ format, problems: empty.problems, rows: empty.rows }).toEqual({ format, problems: [], rows: [] });
    }
  });
});
