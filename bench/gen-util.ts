/** Helpers shared by the data set generators (bench/dataset.ts, bench/plan-dataset.ts). */
import type { Client } from 'pg';

/** A small deterministic generator (mulberry32), so a seed gives the same tree every time. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `total` into `parts` integers ∝ weights (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((x, y) => y[0] - x[0]);
  for (let k = 0; rest > 0 && order.length > 0; k = (k + 1) % order.length, rest--) out[order[k]![1]]! += 1;
  return out;
}

/**
 * Inserts rows column-wise through `unnest`, in chunks (one statement per chunk, no giant SQL text).
 * A column is [name, parameter element type, optional cast in the select] — arrays go in as their
 * text literal and are cast there (`unnest` would flatten a two-dimensional array).
 */
export async function insertColumns(client: Client, table: string, columns: Array<[string, string, string?]>, rows: unknown[][], chunk = 5000) {
  const cols = columns.map(([n]) => `"${n}"`).join(', ');
  const unnest = columns.map(([, t], c) => `$${c + 1}::${t}[]`).join(', ');
  const select = columns.map(([, , cast], c) => `c${c}${cast ? `::${cast}` : ''}`).join(', ');
  const alias = columns.map((_, c) => `c${c}`).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const arrays = columns.map((_, c) => part.map((r) => r[c]));
    await client.query(`insert into "${table}" (${cols}) select ${select} from unnest(${unnest}) as u(${alias})`, arrays);
  }
}

/** A PostgreSQL array's text literal (for `insertColumns`' casts). */
export const PG_ARRAY = (values: readonly (string | number)[]) => `{${values.map((v) => JSON.stringify(String(v))).join(',')}}`;

export const pad = (n: number) => String(n).padStart(2, '0');

/** The generated units of an agency, by position: the usual sections and brigades, then police stations. */
export const UNIT_NAMES: Array<[string, string]> = [
  ['指挥中心', 'CENTER'], ['政治处', 'OFFICE'], ['警务督察大队', 'BRIGADE'], ['法制大队', 'BRIGADE'],
  ['治安管理大队', 'BRIGADE'], ['刑事侦查大队', 'BRIGADE'], ['交通警察大队', 'BRIGADE'], ['出入境管理大队', 'BRIGADE'],
  ['网络安全保卫大队', 'BRIGADE'], ['禁毒大队', 'BRIGADE'], ['经济犯罪侦查大队', 'BRIGADE'], ['户政科', 'SECTION'],
  ['宣传科', 'SECTION'], ['装备财务科', 'SECTION'], ['许可服务科', 'SECTION'], ['科技信息化科', 'SECTION'],
  ['特警大队', 'BRIGADE'], ['看守所', 'OTHER'],
];

/** Name and kind of an agency's `i`-th generated unit (0-based). */
export function unitAt(i: number): [string, string] {
  return i < UNIT_NAMES.length ? UNIT_NAMES[i]! : [`第${i - UNIT_NAMES.length + 1}派出所`, 'POLICE_STATION'];
}
