import { Migration } from '@mikro-orm/migrations';

/**
 * Calendar corrections move the reply due dates of open information requests, as they move those of
 * open publications (migration 20261121181945_Publications): one mechanism, the calendar service's
 * list of recomputers (src/modules/request/request-deadline-recompute.ts). A calendar change is made
 * by an administrator of a root agency and concerns every tenant, so these two functions read and
 * write across tenants as SECURITY DEFINER, callable only by a root-level writer:
 *
 * - `calendar_open_request_deadlines(years)`: every request not yet answered whose stored due date
 *   depends on one of `years` (`due_explanation.years`, written with every computation; a request
 *   without it counts as depending on every year), with its clock inputs and consultations;
 * - `calendar_store_request_deadlines(changes, actor)`: stores the recomputed due dates of requests
 *   still unanswered when it runs (a concurrent reply wins) and records a DEADLINE_RECOMPUTED event
 *   for each whose due date or provisional flag changed.
 *
 * No row locks while reading: every writer of a request's clock holds the calendar's shared advisory
 * lock, which the calendar change holds exclusively.
 */
export class Migration20261122103000_RequestDeadlines extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function calendar_open_request_deadlines(changed_years int[])
      returns table (request_id uuid, received_on date, correction_notice_on date, corrected_on date, extension_days int,
                     due_on date, due_provisional boolean, consultations jsonb)
      language plpgsql security definer set search_path = public as $$
      begin
        if not (app_can_write() and coalesce(nlevel(app_scope_path()) = 1, false)) then
          raise exception 'calendar changes need a root-level writer' using errcode = '42501';
        end if;
        return query
          select r.id, r.received_on, r.correction_notice_on, r.corrected_on, r.extension_days, r.due_on, r.due_provisional,
                 coalesce((select jsonb_agg(jsonb_build_object('startedOn', c.started_on, 'endedOn', c.ended_on) order by c.started_on, c.id)
                             from request_consultation c where c.request_id = r.id), '[]'::jsonb)
            from info_request r
           where r.replied_on is null
             and case when jsonb_typeof(r.due_explanation -> 'years') = 'array'
                      then exists (select 1 from jsonb_array_elements_text(r.due_explanation -> 'years') y(v)
                                    where y.v::int = any(changed_years))
                      else true end
           order by r.id;
      end $$;`);
    this.addSql(`create or replace function calendar_store_request_deadlines(changes jsonb, actor text)
      returns integer
      language plpgsql security definer set search_path = public as $$
      declare
        stored integer;
      begin
        if not (app_can_write() and coalesce(nlevel(app_scope_path()) = 1, false)) then
          raise exception 'calendar changes need a root-level writer' using errcode = '42501';
        end if;
        with c as (
          select * from jsonb_to_recordset(changes)
            as x(id uuid, due_on date, provisional boolean, explanation jsonb, event_reason text, happened_on date)
        ), updated as (
          update info_request r
             set due_on = c.due_on, due_provisional = c.provisional, due_explanation = c.explanation, updated_at = now()
            from c
           where r.id = c.id and r.replied_on is null
          returning r.id, r.agency_id, c.event_reason, c.happened_on
        ), events as (
          insert into request_event (id, request_id, agency_id, kind, happened_on, detail, actor, recorded_at)
          select gen_random_uuid(), u.id, u.agency_id, 'DEADLINE_RECOMPUTED', coalesce(u.happened_on, current_date), u.event_reason, actor, clock_timestamp()
            from updated u where u.event_reason is not null
          returning 1
        )
        select count(*) into stored from updated;
        return stored;
      end $$;`);
    this.addSql(`revoke all on function calendar_open_request_deadlines(int[]) from public;`);
    this.addSql(`revoke all on function calendar_store_request_deadlines(jsonb, text) from public;`);
    this.addSql(`grant execute on function calendar_open_request_deadlines(int[]) to openness_app;`);
    this.addSql(`grant execute on function calendar_store_request_deadlines(jsonb, text) to openness_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists calendar_store_request_deadlines(jsonb, text);`);
    this.addSql(`drop function if exists calendar_open_request_deadlines(int[]);`);
  }

}
