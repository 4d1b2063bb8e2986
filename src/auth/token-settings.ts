import type { TokenSettings } from './jwt';

let settings: TokenSettings | null = null;

/** Set once at start-up (from the environment, or the embedded mode's development key). */
export function registerTokenSettings(value: TokenSettings): void {
  settings = value;
}

export function tokenSettings(): TokenSettings {
  if (!settings) throw new Error('token settings not registered');
  return settings;
}
