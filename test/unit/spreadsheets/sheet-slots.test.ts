import { sheetSlotUsage, withSheetSlot } from '../../../src/spreadsheets/sheet-slots';

describe('spreadsheet work slots', () => {
  it('runs two at a time, queues sixteen, and tells the next caller to retry', async () => {
    const releases: Array<() => void> = [];
    const started: number[] = [];
    const job = (i: number) =>
      withSheetSlot(async () => {
        started.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        return i;
      });
    const jobs = Array.from({ length: 18 }, (_, i) => job(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(sheetSlotUsage()).toEqual({ running: 2, waiting: 16 });
    await expect(withSheetSlot(async () => 'late')).rejects.toMatchObject({ extensions: { code: 'SERVICE_BUSY', retryAfterSeconds: 5 } });

    // Each finished job hands its slot to the next in line, in order.
    for (let done = 0; done < 18; done++) {
      releases[done]!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(jobs)).toEqual(Array.from({ length: 18 }, (_, i) => i));
    expect(started).toEqual(Array.from({ length: 18 }, (_, i) => i));
    expect(sheetSlotUsage()).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work fails', async () => {
    await expect(withSheetSlot(async () => Promise.reject(new Error('bad file')))).rejects.toThrow('bad file');
    expect(sheetSlotUsage()).toEqual({ running: 0, waiting: 0 });
  });
});
