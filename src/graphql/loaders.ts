import type { EntityManager } from '@mikro-orm/postgresql';
import { createAgencyLoaders } from '../modules/agency/agency.loaders';
import { createAccountLoaders } from '../modules/account/account.loaders';
import { createCatalogueLoaders } from '../modules/catalogue/catalogue.loaders';
import { createCalendarLoaders } from '../modules/calendar/calendar.loaders';
import { createPublicationLoaders } from '../modules/publication/publication.loaders';
import { createPlanLoaders } from '../modules/plan/plan.loaders';
import { createAssessmentLoaders } from '../modules/assessment/assessment.loaders';
import { createSchemeLoaders } from '../modules/assessment/scheme.loaders';
import { createRequestLoaders } from '../modules/request/request.loaders';
import { createAnnualReportLoaders } from '../modules/request/annual-report.loaders';

/**
 * Fresh DataLoaders per request, built on the request's EntityManager so their queries run inside
 * the tenancy gate and their caches never outlive the request.
 */
export function createLoaders(em: EntityManager) {
  return {
    agency: createAgencyLoaders(em),
    account: createAccountLoaders(em),
    catalogue: createCatalogueLoaders(em),
    calendar: createCalendarLoaders(em),
    publication: createPublicationLoaders(em),
    plan: createPlanLoaders(em),
    assessment: createAssessmentLoaders(em),
    scheme: createSchemeLoaders(em),
    infoRequest: createRequestLoaders(em),
    annualReport: createAnnualReportLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
