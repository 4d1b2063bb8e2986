import { withToday } from '../../src/modules/calendar/clock';
import { Agency } from '../../src/modules/agency/agency.entity';
import type { DeadlineRule } from '../../src/modules/calendar/deadline-rule';
import { Catalogue, CatalogueKind, CatalogueStatus } from '../../src/modules/catalogue/catalogue.entity';
import { CatalogueItem } from '../../src/modules/catalogue/catalogue-item.entity';
import type { Harness } from './harness';

export interface ItemSpec {
  name: string;
  category?: string;
  rule: DeadlineRule | null;
  websiteColumn?: string;
}

/**
 * A catalogue with items, written directly (outside the tenancy gate) so publication tests do not
 * depend on the catalogue API. Returns the catalogue id and item ids by name.
 */
export async function catalogueWithItems(
  h: Harness,
  agencyCode: string,
  year: number,
  items: ItemSpec[],
  kind: CatalogueKind = CatalogueKind.AGENCY,
): Promise<{ catalogueId: string; items: Record<string, string> }> {
  const em = h.em();
  const agency = await em.findOneOrFail(Agency, { code: agencyCode });
  const catalogue = em.create(Catalogue, {
    agency: agency.id,
    year,
    kind,
    status: CatalogueStatus.IN_FORCE,
    title: `${year}年${agency.name}${kind === CatalogueKind.STANDARD ? '标准目录' : '主动公开基本目录'}`,
  });
  const ids: Record<string, string> = {};
  items.forEach((spec, i) => {
    const item = em.create(CatalogueItem, {
      catalogue: catalogue.id,
      agency: agency.id,
      position: i + 1,
      category: spec.category ?? spec.name,
      name: spec.name,
      content: `${spec.name}的内容`,
      deadlineRule: spec.rule,
      websiteColumn: spec.websiteColumn ?? null,
      channels: ['政府网站'],
    });
    ids[spec.name] = item.id;
  });
  await em.flush();
  return { catalogueId: catalogue.id, items: ids };
}

export const WD20: DeadlineRule = { kind: 'WORKING_DAYS', days: 20 };
export const WD30: DeadlineRule = { kind: 'WORKING_DAYS', days: 30 };

export const PUB_FIELDS = `id title status round formedOn publishedOn url disclosureAttribute containsPersonalInfo deidentificationConfirmed
  timeliness deadline { due provisional reasons yearsConsulted explanation { summary steps { date kind ordinal name } } }
  drafter { username } draftingUnit { code } item { id name }`;

/** GraphQL helpers bound to one harness. */
export function publicationApi(h: Harness) {
  const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await h.gql(query, variables, token);
    if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  };
  const mutation = (name: string, inputType: string, fields = PUB_FIELDS) =>
    `mutation($i: ${inputType}!) { ${name}(input: $i) { publication { ${fields} } } }`;
  const api = {
    ok,
    mutation,
    create: async (token: string, input: Record<string, unknown>) =>
      (await ok(mutation('createPublication', 'CreatePublicationInput'), { i: { disclosureAttribute: 'PROACTIVE', ...input } }, token))
        .createPublication.publication,
    submit: async (token: string, publicationId: string) =>
      (await ok(mutation('submitPublication', 'SubmitPublicationInput'), { i: { publicationId } }, token)).submitPublication.publication,
    review: async (token: string, publicationId: string, conclusion = 'PASSED', notes = '未发现涉密内容') =>
      (await ok(mutation('recordConfidentialityReview', 'RecordConfidentialityReviewInput'), { i: { publicationId, conclusion, notes } }, token))
        .recordConfidentialityReview.publication,
    signOff: async (token: string, publicationId: string, level: 'UNIT_HEAD' | 'LEADER', approve = true, reason?: string) =>
      (await ok(mutation('signOffPublication', 'SignOffPublicationInput'), { i: { publicationId, level, approve, reason } }, token))
        .signOffPublication.publication,
    publish: async (token: string, publicationId: string, publishedOn: string, url = 'http://www.example.gov.cn/a.html') =>
      (await ok(mutation('publishPublication', 'PublishPublicationInput'), { i: { publicationId, publishedOn, url } }, token))
        .publishPublication.publication,
    /**
     * Drafts, reviews, signs and (with `publishedOn`) publishes in one go. With `publishedOn` the
     * whole walk happens on that day ("today" pinned to it): a publication is never dated before its
     * final sign-off, so a past publication date needs the review and sign-offs done by then.
     */
    async walk(
      tokens: { drafter: string; reviewer: string; head: string; leader: string; publisher: string },
      input: Record<string, unknown>,
      publishedOn?: string,
    ) {
      const steps = async () => {
        const p = await api.create(tokens.drafter, input);
        await api.submit(tokens.drafter, p.id);
        await api.review(tokens.reviewer, p.id);
        await api.signOff(tokens.head, p.id, 'UNIT_HEAD');
        const approved = await api.signOff(tokens.leader, p.id, 'LEADER');
        return publishedOn ? api.publish(tokens.publisher, p.id, publishedOn) : approved;
      };
      return publishedOn ? withToday(publishedOn, steps) : steps();
    },
  };
  return api;
}
