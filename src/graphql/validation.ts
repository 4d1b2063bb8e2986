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
 * Validations per operation execution (keyed by its variable values, a fresh object each time),
 * argument type, field and value. A field inside a list resolves once per row with the same arguments —
 * `units(first: 20)` under each of 100 agencies, all called in the same tick — and class-validator's
 * verdict depends on the value alone, so each distinct value is checked once per request and the
 * other rows await that same check.
 */
const checksByExecution = new WeakMap<object, Map<unknown, Map<string, Promise<void>>>>();

/**
 * Argument validation with class-validator, reporting the full path of the offending field
 * (`input.name`, `filter.search`, `first`) so a front-end can put the message next to the field.
 */
export function validateArgument(argValue: unknown, argType: unknown, data: ResolverData<object>): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return Promise.resolve();
  const execution = data.info.variableValues as object;
  let byType = checksByExecution.get(execution);
  if (!byType) checksByExecution.set(execution, (byType = new Map()));
  let byValue = byType.get(argType);
  if (!byValue) byType.set(argType, (byValue = new Map()));
  // The field is part of the key because a failure names the argument as that field calls it.
  const key = `${data.info.parentType.name}.${data.info.fieldName}:${JSON.stringify(argValue)}`;
  let check = byValue.get(key);
  if (!check) byValue.set(key, (check = runValidation(argValue, argType, data)));
  return check;
}

async function runValidation(argValue: object, argType: unknown, data: ResolverData<object>): Promise<void> {
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
