/**
 * 信息处理费 (条例第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》), pure.
 *
 * Disclosure is normally free. Where an applicant's requests clearly exceed a reasonable volume the
 * agency may charge, by ONE of two methods per request — never both:
 *
 * 按件计收 (per request): counted over the same applicant's requests to the same agency in one
 * calendar month, this one included; the fee of THIS request is the price of its position n:
 *   n ≤ 10            free
 *   11 ≤ n ≤ 30       100 元
 *   n > 30            for each further 10 requests the price rises by 100 元:
 *                     31–40: 200 元, 41–50: 300 元, 51–60: 400 元 …
 *                     i.e. 100 × (2 + ⌊(n − 31) / 10⌋)
 *
 * 按量计收 (per page), cumulative tiers over the pages of this one request:
 *   pages  1–30       free
 *   pages 31–100      10 元/页  (at most 70 pages → at most 700 元)
 *   pages 101–200     20 元/页  (at most 100 pages → at most 2,000 元; 2,700 元 for 200 pages)
 *   pages above 200   40 元/页
 *   e.g. 250 pages: 70 × 10 + 100 × 20 + 50 × 40 = 700 + 2,000 + 2,000 = 4,700 元.
 */

export type FeeMethodValue = 'PER_REQUEST' | 'PER_PAGE';

export interface FeeResult {
  method: FeeMethodValue;
  /** Yuan. */
  amount: number;
  /** The arithmetic in words, for the reply's history. */
  explanation: string;
}

/** Bad fee input; `field` is relative to the fee input (`pages`, `method`). */
export class FeeInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeeInputError';
  }
}

/** Requests per applicant and month that are free. */
export const FREE_REQUESTS_PER_MONTH = 10;
/** Pages per request that are free. */
export const FREE_PAGES = 30;

/** Price (元) of the n-th request of an applicant in a calendar month. */
export function perRequestPrice(position: number): number {
  if (!Number.isInteger(position) || position < 1) {
    throw new FeeInputError('position', `申请件次应为正整数 (position must be a positive integer): ${position}`);
  }
  if (position <= FREE_REQUESTS_PER_MONTH) return 0; // 1–10: free
  if (position <= 30) return 100; // 11–30: 100 元 each
  return 100 * (2 + Math.floor((position - 31) / 10)); // 31–40: 200, 41–50: 300, …
}

/** The per-request fee of the request that is the `position`-th of its applicant in the month. */
export function perRequestFee(position: number): FeeResult {
  const amount = perRequestPrice(position);
  let tier: string;
  if (position <= FREE_REQUESTS_PER_MONTH) tier = '10件以内（含10件）不收费';
  else if (position <= 30) tier = '第11至30件每件100元';
  else {
    const from = 31 + Math.floor((position - 31) / 10) * 10;
    tier = `第${from}至${from + 9}件每件${amount}元（30件以上每增加10件每件提高100元）`;
  }
  return {
    method: 'PER_REQUEST',
    amount,
    explanation: `按件计收：该申请人本自然月向本机关提出的第${position}件申请，${tier}，收费${amount}元。`,
  };
}

/** Tiers of the per-page method: pages from … to (inclusive, null = no upper bound) at 元/页. */
const PAGE_TIERS: ReadonlyArray<{ from: number; to: number | null; price: number }> = [
  { from: 1, to: FREE_PAGES, price: 0 },
  { from: 31, to: 100, price: 10 },
  { from: 101, to: 200, price: 20 },
  { from: 201, to: null, price: 40 },
];

/** The per-page fee of a request of `pages` pages: each page is priced by the tier it falls in. */
export function perPageFee(pages: number): FeeResult {
  if (!Number.isInteger(pages) || pages < 1) {
    throw new FeeInputError('pages', `页数应为正整数 (pages must be a positive integer): ${pages}`);
  }
  let amount = 0;
  const parts: string[] = [];
  for (const tier of PAGE_TIERS) {
    if (pages < tier.from) break;
    const last = tier.to === null ? pages : Math.min(pages, tier.to);
    const count = last - tier.from + 1; // pages of this request inside the tier
    amount += count * tier.price;
    if (tier.price === 0) parts.push(`第1至${last}页不收费`);
    else parts.push(`第${tier.from}至${last}页${count}页×${tier.price}元=${count * tier.price}元`);
  }
  return { method: 'PER_PAGE', amount, explanation: `按量计收：共${pages}页，${parts.join('，')}，合计${amount}元。` };
}

export interface FeeInputValue {
  method: FeeMethodValue;
  pages?: number | null;
}

/**
 * Checks that the input names one method correctly: PER_REQUEST takes no pages (its fee comes from
 * the request's position in the applicant's month), PER_PAGE needs them.
 */
export function checkFeeInput(fee: FeeInputValue): void {
  if (fee.method === 'PER_REQUEST') {
    if (fee.pages != null) {
      throw new FeeInputError('pages', '按件计收不按页数计算，不能同时按量计收 (per request: pages are not counted; one method per request)');
    }
    return;
  }
  if (fee.method === 'PER_PAGE') {
    if (fee.pages == null) throw new FeeInputError('pages', '按量计收须填写页数 (per page: the number of pages is required)');
    if (!Number.isInteger(fee.pages) || fee.pages < 1) {
      throw new FeeInputError('pages', `页数应为正整数 (pages must be a positive integer): ${fee.pages}`);
    }
    return;
  }
  throw new FeeInputError('method', `未知的收费方式 (unknown fee method): ${String(fee.method)}`);
}

/** The fee of one request by the one method chosen; `monthlyPosition` is needed for PER_REQUEST only. */
export function computeFee(fee: FeeInputValue, monthlyPosition?: number | null): FeeResult {
  checkFeeInput(fee);
  if (fee.method === 'PER_PAGE') return perPageFee(fee.pages!);
  if (monthlyPosition == null) throw new FeeInputError('position', '按件计收须知道本月申请件次 (per request: the position in the month is required)');
  return perRequestFee(monthlyPosition);
}
