/**
 * Everything the benchmark reads from its environment, read once. Defaults reproduce the province
 * data set of the performance issue (≈177 agencies, ≈3.5k units, 25 items per agency and year,
 * ≈422k publications); `BENCH_SCALE` shrinks or grows the tree and the publications together, so
 * `BENCH_SCALE=0.05 npm run bench` is a smoke run of a minute or two.
 */

function num(name: string, fallback: number, opts: { min?: number; integer?: boolean } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || n < (opts.min ?? 0)) {
    throw new Error(`${name} must be a${opts.integer ? 'n integer' : ' number'} ≥ ${opts.min ?? 0}, got "${raw}"`);
  }
  return n;
}

const scale = num('BENCH_SCALE', 1, { min: 0.001 });
const treeFactor = Math.sqrt(scale);

export interface DatasetConfig {
  scale: number;
  /** Prefecture-level city bureaus under the province. */
  cities: number;
  /** Branches / county bureaus per city, on average (cities differ). */
  branchesPerCity: number;
  /** Internal units per agency, on average (the province and cities have more). */
  unitsPerAgency: number;
  /** Catalogue items per agency and year. */
  itemsPerAgency: number;
  /** First catalogue year; catalogues run from here to the current year. */
  firstYear: number;
  /** Publications in total, spread over firstYear-01-01 … today. */
  publications: number;
  /** Seed of PostgreSQL's random() and of the JS generator: the same seed gives the same data set. */
  seed: number;
  /**
   * Tasks per work plan (one plan per agency for this year and one for last year) for the smallest
   * and the biggest agencies; `tasksMax` 0 leaves the plans out.
   */
  tasksMin: number;
  tasksMax: number;
}

export interface LoadConfig {
  /**
   * Unmeasured requests per scenario and side before its measurements, alternating, and their time
   * cap in seconds: V8 optimises a code path after some hundreds of calls, and the service has far
   * more code than the baseline, so without this the first scenarios measure a cold service.
   */
  warmupRequests: number;
  warmupSeconds: number;
  /** Requests per scenario and side (service, baseline) at concurrency 1. */
  c1Requests: number;
  /** Requests per scenario and side at `concurrency`. */
  cNRequests: number;
  concurrency: number;
  /** Cap on one measuring phase of one scenario (both sides together), seconds. */
  phaseSeconds: number;
  /** Requests per mode (owner / gate) and scenario in the gate-cost measurement. */
  gateRequests: number;
  /** Alternating runs of the maintained and the recomputed roll-up statement, each. */
  recomputeRepeats: number;
  /** Publication walks (create → … → publish) per trigger mode at concurrency 1. */
  writeWalks: number;
  /** Walks per trigger mode at `concurrency` (throughput, contention on maintained figures). */
  writeWalksConcurrent: number;
  /** Requests of the memory run (a mix of the read scenarios) and its time cap in seconds. */
  memoryRequests: number;
  memorySeconds: number;
  /** Per-request timeout, ms. */
  requestTimeoutMs: number;
}

export const dataset: DatasetConfig = {
  scale,
  cities: num('BENCH_CITIES', Math.max(1, Math.round(16 * treeFactor)), { min: 1, integer: true }),
  branchesPerCity: num('BENCH_BRANCHES', Math.max(1, Math.round(10 * treeFactor)), { min: 0, integer: true }),
  unitsPerAgency: num('BENCH_UNITS', 20, { min: 4, integer: true }),
  itemsPerAgency: num('BENCH_ITEMS', 25, { min: 1, integer: true }),
  firstYear: num('BENCH_FIRST_YEAR', 2024, { min: 2005, integer: true }),
  publications: num('BENCH_PUBLICATIONS', Math.round(422_632 * scale), { min: 0, integer: true }),
  seed: num('BENCH_SEED', 20261121, { integer: true }),
  tasksMin: num('BENCH_TASKS_MIN', 60, { min: 1, integer: true }),
  tasksMax: num('BENCH_TASKS_MAX', 200, { min: 0, integer: true }),
};
if (dataset.tasksMax > 0 && dataset.tasksMax < dataset.tasksMin) throw new Error('BENCH_TASKS_MAX must be 0 or ≥ BENCH_TASKS_MIN');

export const load: LoadConfig = {
  warmupRequests: num('BENCH_WARMUP_REQUESTS', 200, { min: 0, integer: true }),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 4, { min: 0 }),
  c1Requests: num('BENCH_C1_REQUESTS', 200, { min: 1, integer: true }),
  cNRequests: num('BENCH_CN_REQUESTS', 400, { min: 1, integer: true }),
  concurrency: num('BENCH_CONCURRENCY', 8, { min: 1, integer: true }),
  phaseSeconds: num('BENCH_PHASE_SECONDS', 25, { min: 1 }),
  gateRequests: num('BENCH_GATE_REQUESTS', 100, { min: 1, integer: true }),
  recomputeRepeats: num('BENCH_RECOMPUTE_REPEATS', 10, { min: 1, integer: true }),
  writeWalks: num('BENCH_WRITE_WALKS', 60, { min: 1, integer: true }),
  writeWalksConcurrent: num('BENCH_WRITE_WALKS_CONCURRENT', 48, { min: 0, integer: true }),
  memoryRequests: num('BENCH_MEMORY_REQUESTS', 5000, { min: 0, integer: true }),
  memorySeconds: num('BENCH_MEMORY_SECONDS', 150, { min: 1 }),
  requestTimeoutMs: num('BENCH_REQUEST_TIMEOUT_MS', 120_000, { min: 1000, integer: true }),
};

/** Only these scenarios (comma-separated ids), for focused runs; all when unset. */
export const onlyScenarios: string[] | null = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((s) => s.trim()).filter(Boolean) : null;

/** Rewrite the README's benchmark block at the end (`npm run bench -- --readme` or BENCH_README=1). */
export const updateReadme = process.argv.includes('--readme') || process.env.BENCH_README === '1' || process.env.BENCH_README === 'true';

/** Log level of the service under test (request lines are `info`; the old benchmark ran at `warn` too). */
export const serviceLogLevel = process.env.BENCH_LOG_LEVEL || 'warn';

/** Where results.json goes (default bench/results.json; smoke runs can write elsewhere and leave the committed one alone). */
export const resultsFile = process.env.BENCH_RESULTS_FILE || null;

/** Diagnostics: write every recorded statement (full text) to this JSON file. */
export const statementsFile = process.env.BENCH_STATEMENTS_FILE || null;

/** Diagnostics: EXPLAIN (ANALYZE, BUFFERS) of the gate-cost statements, owner and gate, into this folder. */
export const explainDir = process.env.BENCH_EXPLAIN_DIR || null;

export const poolMax = num('DB_POOL_MAX', 20, { min: 1, integer: true });
