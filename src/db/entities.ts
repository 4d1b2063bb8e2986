import { Agency } from '../modules/agency/agency.entity';
import { Unit } from '../modules/agency/unit.entity';
import { Account } from '../modules/account/account.entity';
import { Catalogue } from '../modules/catalogue/catalogue.entity';
import { CatalogueItem, CatalogueItemUnit, CatalogueOmission } from '../modules/catalogue/catalogue-item.entity';
import { CalendarChange, CalendarChangeEffect, CalendarEntry, CalendarYear } from '../modules/calendar/calendar.entity';
import {
  ConfidentialityReview,
  NegativeListEntry,
  Publication,
  PublicationEvent,
  PublicationSignOff,
} from '../modules/publication/publication.entity';
import { PublisherDesignation } from '../modules/publication/publisher.entity';
import { PlanHeading, WorkPlan } from '../modules/plan/plan.entity';
import { PlanTask, PlanTaskUnit, TaskProgress, TaskProgressEvidence, TaskReview } from '../modules/plan/task.entity';
import { AssessmentIndicator, AssessmentScheme, AssessmentSchemeAgency } from '../modules/assessment/scheme.entity';
import { DeductionPoint, EvaluationRound, EvaluationScore } from '../modules/assessment/evaluation.entity';
import { Inspection, InspectionFinding } from '../modules/assessment/inspection.entity';
import { AssessmentEntry, AssessmentResult } from '../modules/assessment/result.entity';
import { InfoRequest, RequestAppeal, RequestConsultation, RequestEvent } from '../modules/request/request.entity';
import { AnnualReport } from '../modules/request/annual-report.entity';
import { EvaluatorAccess, EvaluatorToken } from '../modules/evaluator/evaluator-token.entity';

/**
 * The one list of entities MikroORM knows. Every tenant-owned table in it must also get a
 * row-level-security policy in its migration (test/db/tenancy-policies.test.ts checks that).
 */
export const ENTITIES = [
  Agency,
  Unit,
  Account,
  Catalogue,
  CatalogueItem,
  CatalogueItemUnit,
  CatalogueOmission,
  CalendarEntry,
  CalendarYear,
  CalendarChange,
  CalendarChangeEffect,
  Publication,
  ConfidentialityReview,
  PublicationSignOff,
  PublicationEvent,
  NegativeListEntry,
  PublisherDesignation,
  WorkPlan,
  PlanHeading,
  PlanTask,
  PlanTaskUnit,
  TaskProgress,
  TaskProgressEvidence,
  TaskReview,
  AssessmentScheme,
  AssessmentIndicator,
  AssessmentSchemeAgency,
  EvaluationRound,
  EvaluationScore,
  DeductionPoint,
  Inspection,
  InspectionFinding,
  AssessmentEntry,
  AssessmentResult,
  InfoRequest,
  RequestConsultation,
  RequestEvent,
  RequestAppeal,
  AnnualReport,
  EvaluatorToken,
  EvaluatorAccess,
] as const;
