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
  };
}
