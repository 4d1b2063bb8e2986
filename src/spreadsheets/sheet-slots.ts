import { AppError } from '../graphql/errors';

/**
 * Spreadsheet parsing and writing are CPU- and memory-heavy: a process takes at most `MAX_RUNNING`
 * at a time and queues at most `MAX_WAITING` more; beyond that a caller is told to retry
 * (`SERVICE_BUSY`) instead of piling up work. Parses and XLSX writes run in worker threads
 * (sheet-worker.ts), so this also bounds the live workers — each one a core and up to its heap
 * limit; the DOCX and annual-report builders still run on the event loop, bounded here too.
 */
const MAX_RUNNING = 2;
const MAX_WAITING = 16;

let running = 0;
const waiting: Array<() => void> = [];

export async function withSheetSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) {
      throw new AppError('SERVICE_BUSY', '表格导入导出繁忙，请稍后重试 (too many spreadsheet imports and exports at once; retry shortly)', {
        retryAfterSeconds: 5,
      });
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running += 1;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line (running stays the same), or free it.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** For tests: how many are running and waiting now. */
export function sheetSlotUsage(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}
