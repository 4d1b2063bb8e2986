import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { Agency } from '../agency/agency.entity';
import { DeductionPoint, EvaluationRound, EvaluationScore } from './evaluation.entity';

/** 扣分点说明状态 — derived from the explanation date, the due date and today; never stored. */
export enum DeductionState {
  OPEN = 'OPEN',
  OVERDUE = 'OVERDUE',
  ANSWERED_ON_TIME = 'ANSWERED_ON_TIME',
  ANSWERED_LATE = 'ANSWERED_LATE',
}

registerEnumType(DeductionState, {
  name: 'DeductionState',
  description: '扣分点说明状态，由说明日期、期限和今天推导 (explanation state of a deduction point, derived — never typed in)',
  valuesConfig: {
    OPEN: { description: '待说明 (not explained, not yet due)' },
    OVERDUE: { description: '逾期未说明 (not explained, the due date has passed)' },
    ANSWERED_ON_TIME: { description: '按时说明 (explained on or before the due date)' },
    ANSWERED_LATE: { description: '逾期说明 (explained after the due date)' },
  },
});

/** The state of a point on `asOf` (today): due dates are inclusive. */
export function deductionState(point: { explainedOn?: string | null; dueOn: string }, asOf: string): DeductionState {
  if (point.explainedOn) return point.explainedOn <= point.dueOn ? DeductionState.ANSWERED_ON_TIME : DeductionState.ANSWERED_LATE;
  return asOf > point.dueOn ? DeductionState.OVERDUE : DeductionState.OPEN;
}

@ObjectType({ description: '评估轮次结果 (evaluation-round payload)' })
export class EvaluationRoundPayload {
  @Field(() => EvaluationRound, { description: '评估轮次 (round)' })
  round!: EvaluationRound;
}

@ObjectType({ description: '评估得分结果 (score payload)' })
export class EvaluationScorePayload {
  @Field(() => EvaluationScore, { description: '得分 (the score as recorded)' })
  score!: EvaluationScore;
}

@ObjectType({ description: '扣分点结果 (deduction-point payload)' })
export class DeductionPointPayload {
  @Field(() => DeductionPoint, { description: '扣分点 (the deduction point)' })
  deductionPoint!: DeductionPoint;
}

@ObjectType({ description: '删除扣分点结果 (payload of a removed deduction point)' })
export class DeleteDeductionPointPayload {
  @Field(() => ID, { description: '已删除的扣分点 (id of the removed point)' })
  deletedId!: string;

  @Field(() => EvaluationRound, { description: '所属轮次 (the round)' })
  round!: EvaluationRound;
}

@ObjectType({ description: '扣分点说明情况计数 (deduction points by explanation state; from maintained figures)' })
export class ExplanationFigures {
  @Field(() => Int, { description: '扣分点数 (deduction points)' })
  total!: number;

  @Field(() => Int, { description: '按时说明 (explained on or before the due date)' })
  answeredOnTime!: number;

  @Field(() => Int, { description: '逾期说明 (explained after the due date)' })
  answeredLate!: number;

  @Field(() => Int, { description: '待说明，未到期 (not explained, due today or later)' })
  open!: number;

  @Field(() => Int, { description: '逾期未说明 (not explained, due before today)' })
  overdue!: number;
}

@ObjectType({ description: '一个机关的扣分点说明情况：本级及含下级合计 (one agency’s deduction points by state: its own, and its whole subtree)' })
export class ExplanationCountRow extends ExplanationFigures {
  @Field(() => ID, { description: '机关 (agency id)' })
  agencyId!: string;

  @Field(() => Agency, { description: '机关 (agency)' })
  agency?: Agency;

  @Field(() => ExplanationFigures, { description: '含下级合计 (the agency and everything below it)' })
  subtree!: ExplanationFigures;
}

export const EvaluationRoundConnection = ConnectionType(EvaluationRound, 'EvaluationRound', '第三方评估轮次');
export const DeductionPointConnection = ConnectionType(DeductionPoint, 'DeductionPoint', '扣分点');
