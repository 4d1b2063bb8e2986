import { requirePrincipal } from '../../auth/policy';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { calendarService } from '../calendar/calendar.service';
import { chinaDateOfInstant } from '../calendar/date-utils';
import { DisclosureAttribute, Publication, PublicationAction, PublicationStatus } from './publication.entity';
import type { RecordHistoricalPublicationInput } from './publication.inputs';
import { publicationService } from './publication.service';

/**
 * 补录 — publications an agency made before it used the system, entered afterwards with their
 * original dates so its catalogue does not look empty and its past timeliness can be judged.
 *
 * Why a separate path instead of a backdated publishPublication: a publication that goes through the
 * system is published on or after its final sign-off (先审查后公开), so a backdated date could only
 * be a lie. A historical record says openly what it is: it has no review round (the database checks
 * `round = 0`), it can only be dated before the agency began using the system (the day its record was
 * created), and the compliance figures show it apart (`historicalOnTime`, `historicalLate`,
 * `historicalPublished`), so nobody reads it as reviewed work. Only those who may publish the item
 * may enter it.
 */
export class HistoricalRecordService {
  async record(ctx: RequestContext, input: RecordHistoricalPublicationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    publicationService.assertTitle(input.title);
    publicationService.assertNotFuture(input.formedOn, 'input.formedOn', '信息形成或变更之日');
    publicationService.assertNotFuture(input.publishedOn, 'input.publishedOn', '发布日期');
    if (input.publishedOn < input.formedOn) {
      throw badInput('input.publishedOn', `发布日期不能早于信息形成或变更之日${input.formedOn} (cannot be published before it was formed)`);
    }
    const source = input.source.trim();
    if (source.length < 2) throw badInput('input.source', '请说明补录依据，如网站栏目存档或纸质审批表 (say where the record comes from)');
    const { item, agency } = await publicationService.resolveItem(ctx, input.catalogueItemId, 'input.catalogueItemId');
    const unit = await publicationService.resolveUnit(ctx, input.draftingUnitId, agency, 'input.draftingUnitId');
    await publicationService.assertPublisher(ctx, p, agency, item.id, 'input.catalogueItemId');
    const since = chinaDateOfInstant(agency.createdAt);
    if (input.publishedOn >= since) {
      throw badInput(
        'input.publishedOn',
        `补录只适用于本机关启用系统（${since}）之前的发布；此后的发布须经保密审查和审核后发布 (historical records are for publications before the agency began using the system on ${since}; later ones go through the review workflow)`,
        { systemSince: since },
      );
    }
    return inTransaction(ctx, async (em) => {
      await calendarService.lockShared(em);
      const calendar = await calendarService.loadForDeadlines(ctx);
      const pub = em.create(Publication, {
        agency: agency.id,
        item: item.id,
        title: input.title.trim(),
        url: input.url.trim(),
        websiteColumn: input.websiteColumn?.trim() || null,
        channel: input.channel?.trim() || '政府网站',
        formedOn: input.formedOn,
        publishedOn: input.publishedOn,
        status: PublicationStatus.PUBLISHED,
        historical: true,
        draftingUnit: unit.id,
        drafter: null,
        drafterName: input.drafterName?.trim() || '（补录，原撰稿人未记录）',
        disclosureAttribute: DisclosureAttribute.PROACTIVE,
      });
      publicationService.applyDeadline(pub, item, calendar);
      publicationService.record(em, pub, null, PublicationAction.HISTORICAL_RECORDED, p.username, `补录依据：${source}`);
      await em.flush();
      return pub;
    });
  }
}

export const historicalRecordService = new HistoricalRecordService();
