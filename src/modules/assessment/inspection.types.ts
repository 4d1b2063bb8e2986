import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { Inspection } from './inspection.entity';

@ObjectType({ description: '察访核验结果 (inspection payload)' })
export class InspectionPayload {
  @Field(() => Inspection, { description: '察访核验 (the inspection with its findings)' })
  inspection!: Inspection;
}

export const InspectionConnection = ConnectionType(Inspection, 'Inspection', '察访核验');
