import { badInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects malformed ids before they reach SQL, naming the argument or input field. */
export function requireId(value: string, field: string): string {
  if (!UUID.test(value)) throw badInput(field, '不是有效的标识 (not a valid id)');
  return value.toLowerCase();
}
