import { requirePrincipal } from '../../auth/policy';
import { selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { calendarService } from '../calendar/calendar.service';
import { today } from '../calendar/clock';
import type { CatalogueItem } from '../catalogue/catalogue-item.entity';
import { InfoRequest } from './request.entity';
import type { ConvertToProactiveInput, DisclosureCandidateFilter } from './request.inputs';
import { notFoundAt, requestService, RequestEventKind, requireText } from './request.service';
import type { DisclosureCandidate } from './request.types';

/**
 * 依申请转主动 (000 §六(三)2): information that many applicants ask for should be disclosed
 * proactively. Requests are grouped by the office's topic; topics asked about by several distinct
 * applicants are candidates, and converting one links its requests to the catalogue item under
 * which the information is now published.
 */
export class RequestDisclosure {
  /**
   * Topics that at least `minApplicants` distinct applicants asked about and that were not yet
   * turned into proactive disclosure, per agency of the caller's subtree: one statement.
   */
  async disclosureCandidates(ctx: RequestContext, filter?: DisclosureCandidateFilter | null): Promise<DisclosureCandidate[]> {
    requirePrincipal(ctx);
    const params: unknown[] = [];
    let where = `r.topic <> '' and r.catalogue_item_id is null`;
    if (filter?.agencyId) {
      const agency = await ctx.loaders.agency.byId.load(requireId(filter.agencyId, 'filter.agencyId'));
      if (!agency) throw notFoundAt('filter.agencyId', '机关 (agency)', filter.agencyId);
      where += ` and r.agency_id = ?::uuid`;
      params.push(agency.id);
    }
    if (filter?.year != null) {
      where += ` and r.year = ?::int`;
      params.push(filter.year);
    }
    const rows = await sql<{ agency_id: string; topic: string; applicants: string; requests: string; first_on: string; last_on: string }>(
      ctx.em,
      `select r.agency_id, r.topic, count(distinct r.applicant_name) as applicants, count(*) as requests,
              min(r.received_on)::text as first_on, max(r.received_on)::text as last_on
         from info_request r
        where ${where}
        group by r.agency_id, r.topic
       having count(distinct r.applicant_name) >= ?::int
        order by count(distinct r.applicant_name) desc, count(*) desc, r.agency_id, r.topic`,
      [...params, filter?.minApplicants ?? 3],
    );
    return rows.map((r) => ({
      agencyId: r.agency_id,
      topic: r.topic,
      applicants: Number(r.applicants),
      requests: Number(r.requests),
      firstReceivedOn: r.first_on,
      lastReceivedOn: r.last_on,
    }));
  }

  /**
   * 依申请转主动: links every request of the item's agency on `topic` not yet converted to the
   * catalogue item, with an event each — two statements whatever the number of requests.
   */
  async convertToProactive(ctx: RequestContext, input: ConvertToProactiveInput): Promise<{ catalogueItem: Lean<CatalogueItem>; converted: number; infoRequests: Lean<InfoRequest>[] }> {
    const p = requirePrincipal(ctx);
    const item = await ctx.loaders.catalogue.itemById.load(requireId(input.catalogueItemId, 'input.catalogueItemId'));
    if (!item) throw notFoundAt('input.catalogueItemId', '目录事项 (catalogue item)', input.catalogueItemId);
    const agency = await requestService.assertAdmin(ctx, item, '依申请转主动 (convertToProactive)');
    const topic = requireText(input.topic, 'input.topic', '申请事项归类');
    return inTransaction(ctx, async (em) => {
      await calendarService.lockShared(em);
      const updated = await sql<{ id: string }>(
        em,
        `update info_request set catalogue_item_id = ?::uuid, updated_at = now()
          where agency_id = ?::uuid and topic = ? and catalogue_item_id is null
          returning id`,
        [item.id, agency.id, topic],
      );
      if (updated.length === 0) {
        throw badInput('input.topic', `${agency.name}没有尚未转为主动公开的“${topic}”申请 (no request of the item’s agency on this topic is left to convert)`);
      }
      await sql(
        em,
        `insert into request_event (id, agency_id, request_id, kind, happened_on, detail, actor)
         select gen_random_uuid(), ?::uuid, r.id, ?, ?::date, ?, ? from unnest(?::uuid[]) as r(id)`,
        [
          agency.id,
          RequestEventKind.CONVERTED_TO_PROACTIVE,
          today(),
          `依申请转主动：已列入主动公开目录事项“${item.name}”`,
          p.username,
          `{${updated.map((u) => u.id).join(',')}}`,
        ],
      );
      const infoRequests = await selectLean(em, InfoRequest, 'where t.id = any(?::uuid[]) order by t.received_on, t.number', [
        uuidArrayLiteral(updated.map((u) => u.id)),
      ]);
      return { catalogueItem: item, converted: updated.length, infoRequests };
    });
  }
}

export const requestDisclosure = new RequestDisclosure();
