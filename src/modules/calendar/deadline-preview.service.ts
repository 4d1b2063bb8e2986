import { requirePrincipal } from '../../auth/policy';
import type { RequestContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import type { DeadlineRuleType } from '../catalogue/catalogue.inputs';
import type { ExplanationStepKindEnum } from '../publication/publication.inputs';
import { computeDeadline, DeadlineInputError } from './deadline-engine';
import type { DeadlinePreview, DeadlinePreviewInput } from './deadline-preview.inputs';
import { toDeadlineRule, type DeadlineRuleFields } from './deadline-rule-validation';

/**
 * 时限试算: the due date a rule gives for a start date (with pauses and one extension), computed by the
 * same engine and calendar as stored deadlines. Reads the calendar; writes nothing.
 */
export async function previewDeadline(ctx: RequestContext, input: DeadlinePreviewInput): Promise<DeadlinePreview> {
  requirePrincipal(ctx);
  const parsed = toDeadlineRule(input.rule as DeadlineRuleFields);
  if ('field' in parsed) throw badInput(`input.rule.${parsed.field}`, parsed.message);
  const calendar = await ctx.loaders.calendar.working();
  let result;
  try {
    result = computeDeadline(
      {
        rule: parsed.rule,
        start: input.start,
        pauses: (input.pauses ?? []).map((p) => ({ from: p.from, to: p.to ?? null })),
        extensionWorkingDays: input.extensionWorkingDays ?? null,
        asOf: input.asOf ?? null,
        rollForwardToWorkingDay: input.rollForwardToWorkingDay === true,
      },
      calendar,
    );
  } catch (e) {
    // The engine names the offending field relative to its input (`rule.days`, `pauses[0].to`, `start`).
    if (e instanceof DeadlineInputError) throw badInput(`input.${e.field}`, e.message.slice(e.field.length + 2));
    throw e;
  }
  return {
    due: result.due,
    dueAt: result.dueInstant ?? null,
    paused: result.paused,
    countedSoFar: result.countedSoFar ?? null,
    pausedSince: result.pausedSince ?? null,
    provisional: result.provisional,
    reasons: result.provisionalReasons,
    yearsConsulted: result.yearsConsulted,
    rule: parsed.rule as unknown as DeadlineRuleType,
    explanation: {
      summary: result.explanation.summary,
      start: result.explanation.start,
      steps: result.explanation.steps.map((s) => ({
        date: s.date,
        kind: s.kind as ExplanationStepKindEnum,
        ordinal: s.ordinal ?? null,
        name: s.name ?? null,
      })),
    },
  };
}
