import { getNamedType } from 'graphql';
import { validate, type ValidationError } from 'class-validator';
import type { ResolverData } from 'type-graphql';
import { badInput } from './errors';

function firstProblem(errors: ValidationError[], prefix: string): { field: string; message: string } | null {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length) return { field, message: Object.values(e.constraints)[0]! };
    const nested = firstProblem(e.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/**
 * Argument validation with class-validator, reporting the full path of the offending field
 * (`input.name`, `filter.search`, `first`) so a front-end can put the message next to the field.
 */
export async function validateArgument(argValue: unknown, argType: unknown, data: ResolverData<object>): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return;
  const values = Array.isArray(argValue) ? argValue : [argValue];
  // Input-object arguments are named after the GraphQL argument; @ArgsType fields are top-level.
  const typeName = typeof argType === 'function' ? argType.name : '';
  const field = data.info.parentType.getFields()[data.info.fieldName];
  const argName = field?.args.find((a) => getNamedType(a.type).name === typeName)?.name ?? '';
  for (const value of values) {
    if (value === null || typeof value !== 'object') continue;
    const errors = await validate(value as object, { skipMissingProperties: true, forbidUnknownValues: false });
    const problem = firstProblem(errors, argName);
    if (problem) throw badInput(problem.field, problem.message);
  }
}
