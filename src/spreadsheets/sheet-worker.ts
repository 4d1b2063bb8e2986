import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SHEET_WORKER_DEFAULTS } from '../config';
import { badInput } from '../graphql/errors';
import type { SheetJob, SheetJobAnswer } from './sheet-job';
import type { SheetFormat, SheetReadResult, SheetSpec } from './sheet-reader';
import { writeSheet, type SheetWriteOptions } from './sheet-writer';

/**
 * Spreadsheet parsing and writing off the event loop. exceljs and csv-parse are synchronous for
 * long stretches (a 5,000-row catalogue: about 0.5 s to read, 0.8 s to write on an idle core), and
 * what a read holds grows with the file: rows stream and stop at the row limit (xlsx-rows.ts), but
 * the inflated parts, the shared strings and a single row's cells are held whole. On the main
 * thread that stalls every tenant's requests and can take the process down. Each job runs in its own worker thread with a heap limit and a wall-clock limit;
 * a worker that hits either is ended and the caller gets a clean error.
 *
 * One fresh worker per job rather than a pool: a job never inherits another's heap, an ended
 * worker needs no replacing, and sheet-slots.ts already bounds how many run at once (2). The price
 * is the worker's start (loading the TypeScript hook and exceljs, about 0.7 s), small next to what
 * it parses.
 */

export interface SheetWorkerLimits {
  /** Wall-clock time for one job, from starting the worker to its answer. */
  timeoutMs: number;
  /** V8 old-generation heap of the worker (`resourceLimits.maxOldGenerationSizeMb`). */
  maxOldGenerationSizeMb: number;
}

/** Until start-up configures them (SHEET_WORKER_TIMEOUT_MS, SHEET_WORKER_MEMORY_MB): the defaults. */
let limits: SheetWorkerLimits = { timeoutMs: SHEET_WORKER_DEFAULTS.timeoutMs, maxOldGenerationSizeMb: SHEET_WORKER_DEFAULTS.memoryMb };

/** Set at start-up from the configuration (and by tests); returns the previous limits. */
export function configureSheetWorker(next: Partial<SheetWorkerLimits>): SheetWorkerLimits {
  const previous = limits;
  limits = { ...limits, ...next };
  return previous;
}

let live = 0;

/** For tests: workers running now. */
export function liveSheetWorkers(): number {
  return live;
}

/** A job stopped by its limits (as opposed to a bug in the job, which is an ordinary Error). */
export class SheetWorkerLimitError extends Error {
  constructor(
    readonly limit: 'TIME' | 'MEMORY',
    readonly limits: SheetWorkerLimits,
  ) {
    super(limit === 'TIME' ? `spreadsheet job exceeded ${limits.timeoutMs} ms` : `spreadsheet job exceeded ${limits.maxOldGenerationSizeMb} MB of heap`);
  }
}

const ENTRY = path.join(__dirname, `sheet-job${path.extname(__filename)}`);

/**
 * The worker's start-up code. A worker is a fresh isolate without the parent's require hooks: run
 * from TypeScript (`npm start`, jest), it registers @swc-node/register itself, as `npm start` does;
 * run from compiled JavaScript it loads the entry directly.
 */
function bootstrap(): string {
  const hook = ENTRY.endsWith('.ts') ? `require(${JSON.stringify(require.resolve('@swc-node/register'))});\n` : '';
  return `${hook}require(${JSON.stringify(ENTRY)});\n`;
}

function run(job: SheetJob): Promise<SheetJobAnswer & { ok: true }> {
  const current = limits;
  return new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap(), {
      eval: true,
      workerData: { sheetJob: job },
      resourceLimits: { maxOldGenerationSizeMb: current.maxOldGenerationSizeMb },
    });
    live += 1;
    let settled = false;
    // The caller hears the outcome only once the worker is gone, so the slot it holds
    // (sheet-slots.ts) really bounds the number of live workers.
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate().finally(() => {
        live -= 1;
        outcome();
      });
    };
    const timer = setTimeout(() => settle(() => reject(new SheetWorkerLimitError('TIME', current))), current.timeoutMs);
    worker.once('message', (answer: SheetJobAnswer) =>
      settle(() => (answer.ok ? resolve(answer) : reject(new Error(`spreadsheet job failed in its worker: ${answer.error}`)))),
    );
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new SheetWorkerLimitError('MEMORY', current) : err)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`spreadsheet worker exited (code ${code}) without an answer`))));
  });
}

/**
 * {@link readSheet} in a worker: the same result, with the parse bounded in time and memory. A file
 * that exceeds either is the uploader's to simplify, so it is refused as BAD_USER_INPUT naming
 * `field` (never a 500), with `extensions.limit` saying which.
 */
export async function readSheetInWorker<K extends string>(
  spec: SheetSpec<K>,
  data: Buffer,
  format: SheetFormat,
  field = 'input.fileBase64',
): Promise<SheetReadResult<K>> {
  try {
    const answer = await run({ kind: 'read', spec: spec as SheetSpec<string>, data, format });
    if (answer.kind !== 'read') throw new Error('spreadsheet worker answered a read with a write');
    return answer.result as SheetReadResult<K>;
  } catch (err) {
    if (!(err instanceof SheetWorkerLimitError)) throw err;
    const message =
      err.limit === 'TIME'
        ? `表格过于复杂，${Math.ceil(err.limits.timeoutMs / 1000)} 秒内未能读完，请精简或拆分后重试 (the file took too long to read; simplify or split it)`
        : '表格过于复杂，读取所需内存超过上限，请精简或拆分后重试 (reading the file needs more memory than allowed; simplify or split it)';
    throw badInput(field, message, { limit: err.limit });
  }
}

/**
 * {@link writeSheet} of an XLSX in a worker: the same bytes, without stalling the event loop
 * (exceljs takes about 0.8 s for a 5,000-item catalogue). Exports are
 * bounded by the data (a catalogue has at most 5,000 items), so hitting a limit here is the
 * server's problem, not the caller's: it surfaces as an internal error, logged.
 */
export async function writeSheetInWorker<K extends string>(
  spec: SheetSpec<K>,
  rows: ReadonlyArray<Record<K, string>>,
  format: SheetFormat,
  options: SheetWriteOptions<K>,
): Promise<Buffer> {
  // A CSV is one stringify of data we own: tens of milliseconds for the largest catalogue, less
  // than starting a worker.
  if (format === 'CSV') return writeSheet(spec, rows, format, options);
  const answer = await run({
    kind: 'write',
    spec: spec as SheetSpec<string>,
    rows: rows as Array<Record<string, string>>,
    format,
    options: options as SheetWriteOptions<string>,
  });
  if (answer.kind !== 'write') throw new Error('spreadsheet worker answered a write with a read');
  return Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength);
}
