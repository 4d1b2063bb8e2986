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
 * Characters no text input may carry: C0 controls except tab and line feed (a carriage return only as
 * part of CRLF, which text areas send), DEL, C1 controls, and the bidi embedding/override/isolate marks
 * (U+202A–U+202E, U+2066–U+2069) that make a title display differently from what it says
 * ("Trojan Source"). PostgreSQL refuses NUL in text outright, which used to surface as a 500.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r(?!\n)/;
const FORBIDDEN_MESSAGE = '不能包含控制字符或双向文本控制符 (must not contain control or bidi-override characters)';

/** The path of the first string inside `value` that carries a forbidden character, or null. */
function forbiddenCharsAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return FORBIDDEN_CHARS.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenCharsAt(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    const found = forbiddenCharsAt(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
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
  if (typeof argValue === 'string') {
    // Scalar arguments (an id, a search term) arrive here too, without their name: find it in the args.
    if (!FORBIDDEN_CHARS.test(argValue)) return Promise.resolve();
    const name = Object.keys(data.args).find((k) => data.args[k] === argValue) ?? 'input';
    return Promise.reject(badInput(name, FORBIDDEN_MESSAGE));
  }
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
  // Every string of the input, whatever its class declares: one check covers every mutation.
  const badChars = forbiddenCharsAt(argValue, argName);
  if (badChars) throw badInput(badChars, FORBIDDEN_MESSAGE);
  for (const value of values) {
    if (value === null || typeof value !== 'object') continue;
    const errors = await validate(value as object, { skipMissingProperties: true, forbidUnknownValues: false });
    const problem = firstProblem(errors, argName);
    if (problem) throw badInput(problem.field, problem.message);
  }
}
