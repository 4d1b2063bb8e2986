import {
  checkFeeInput,
  computeFee,
  FeeInputError,
  perPageFee,
  perRequestFee,
  perRequestPrice,
} from '../../../src/modules/request/request-fees';

function feeError(fn: () => unknown): FeeInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FeeInputError) return e;
    throw e;
  }
  throw new Error('expected a FeeInputError');
}

/** 国办函〔2020〕109号, every tier boundary by hand. */
describe('per request (按件计收): the price of the request’s position in its applicant’s month', () => {
  it.each([
    [1, 0],
    [10, 0], // up to 10 a month: free
    [11, 100], // 11–30: 100 元 each
    [30, 100],
    [31, 200], // above 30: +100 元 for each further 10
    [40, 200],
    [41, 300],
    [50, 300],
    [51, 400],
    [60, 400],
    [61, 500],
  ])('request no. %i of the month costs %i 元', (position, price) => {
    expect(perRequestPrice(position)).toBe(price);
    expect(perRequestFee(position)).toMatchObject({ method: 'PER_REQUEST', amount: price });
  });

  it('explains the tier', () => {
    expect(perRequestFee(10).explanation).toContain('10件以内（含10件）不收费');
    expect(perRequestFee(12).explanation).toContain('第11至30件每件100元');
    expect(perRequestFee(45).explanation).toContain('第41至50件每件300元');
  });

  it('refuses a position that is not a positive whole number', () => {
    expect(feeError(() => perRequestPrice(0)).field).toBe('position');
    expect(feeError(() => perRequestPrice(2.5)).field).toBe('position');
  });
});

describe('per page (按量计收): cumulative tiers over the request’s pages', () => {
  it.each([
    [1, 0],
    [30, 0], // up to 30 pages free
    [31, 10], // 31–100 at 10 元
    [100, 700], // 70 × 10
    [101, 720], // 700 + 1 × 20
    [200, 2700], // 700 + 100 × 20
    [201, 2740], // 2,700 + 1 × 40
    [250, 4700], // 2,700 + 50 × 40
  ])('%i pages cost %i 元', (pages, amount) => {
    expect(perPageFee(pages)).toMatchObject({ method: 'PER_PAGE', amount });
  });

  it('shows the arithmetic of each tier', () => {
    expect(perPageFee(250).explanation).toBe(
      '按量计收：共250页，第1至30页不收费，第31至100页70页×10元=700元，第101至200页100页×20元=2000元，第201至250页50页×40元=2000元，合计4700元。',
    );
  });

  it('refuses pages that are not a positive whole number', () => {
    expect(feeError(() => perPageFee(0)).field).toBe('pages');
    expect(feeError(() => perPageFee(-3)).field).toBe('pages');
  });
});

describe('one method per request', () => {
  it('per request takes no pages; per page needs them', () => {
    expect(feeError(() => checkFeeInput({ method: 'PER_REQUEST', pages: 40 })).field).toBe('pages');
    expect(feeError(() => checkFeeInput({ method: 'PER_PAGE' })).field).toBe('pages');
    expect(feeError(() => checkFeeInput({ method: 'PER_PAGE', pages: 0 })).field).toBe('pages');
    expect(feeError(() => checkFeeInput({ method: 'BOTH' as never })).field).toBe('method');
  });

  it('computes by the method chosen', () => {
    expect(computeFee({ method: 'PER_REQUEST' }, 11).amount).toBe(100);
    expect(computeFee({ method: 'PER_PAGE', pages: 31 }, 11).amount).toBe(10);
    expect(feeError(() => computeFee({ method: 'PER_REQUEST' })).field).toBe('position');
  });
});
