import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { AssessmentScheme } from './scheme.entity';

@ObjectType('AssessmentSchemePayload', { description: '考核方案变更结果 (scheme mutation payload)' })
export class AssessmentSchemePayload {
  @Field(() => AssessmentScheme, { description: '考核方案版本 (the scheme version written)' })
  scheme!: AssessmentScheme;
}

export const AssessmentSchemeConnection = ConnectionType(AssessmentScheme, 'AssessmentScheme', '考核方案');
export type AssessmentSchemeConnection = InstanceType<typeof AssessmentSchemeConnection>;
