import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readSheet, type SheetFormat, type SheetReadResult, type SheetSpec } from './sheet-reader';
import { writeSheet, type SheetWriteOptions } from './sheet-writer';

/**
 * The worker-thread side of sheet-worker.ts: one job per worker, given in `workerData`, answered
 * with one message. Everything crossing the thread boundary is plain data (structured clone):
 * specs are records of strings, results are rows of strings or the file's bytes.
 */

export type SheetJob =
  | { kind: 'read'; spec: SheetSpec<string>; data: Uint8Array; format: SheetFormat }
  | { kind: 'write'; spec: SheetSpec<string>; rows: Array<Record<string, string>>; format: SheetFormat; options: SheetWriteOptions<string> };

export type SheetJobAnswer =
  | { ok: true; kind: 'read'; result: SheetReadResult<string> }
  | { ok: true; kind: 'write'; bytes: Uint8Array }
  | { ok: false; error: string };

/** A cloned Buffer arrives as a plain Uint8Array; the readers need Buffer's methods. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export async function runSheetJob(job: SheetJob): Promise<SheetJobAnswer> {
  if (job.kind === 'read') return { ok: true, kind: 'read', result: await readSheet(job.spec, asBuffer(job.data), job.format) };
  return { ok: true, kind: 'write', bytes: await writeSheet(job.spec, job.rows, job.format, job.options) };
}

// Loaded inside a worker started by sheet-worker.ts: do the one job and answer. (Loaded anywhere
// else — type imports are erased, but a test may import runSheetJob — it does nothing.)
if (!isMainThread && parentPort && (workerData as { sheetJob?: SheetJob } | null)?.sheetJob) {
  const port = parentPort;
  runSheetJob((workerData as { sheetJob: SheetJob }).sheetJob).then(
    (answer) => port.postMessage(answer),
    (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies SheetJobAnswer),
  );
}
