import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkingCalendar } from './working-calendar';
import { calendarService } from './calendar.service';

/** The working calendar of the request, read once (one statement) and shared by every field. */
export function createCalendarLoaders(em: EntityManager) {
  let cached: Promise<WorkingCalendar> | null = null;
  return {
    working(): Promise<WorkingCalendar> {
      cached ??= calendarService.load(em).catch((err: unknown) => {
        cached = null;
        throw err;
      });
      return cached;
    },
    /** After a calendar change inside the request, later fields must see the new calendar. */
    reset(): void {
      cached = null;
    },
    /** The caller's part of each change's recomputation (one statement per page of changes). */
    effects: new DataLoader<string, { recomputed: number; changed: number }>(async (ids) => {
      const byId = await calendarService.effects(em, ids);
      return ids.map((id) => byId.get(id) ?? { recomputed: 0, changed: 0 });
    }),
  };
}
