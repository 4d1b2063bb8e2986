/** Where the test cluster is: set by global-setup, read by every test file (jest passes env to workers). */
export const TEST_ENV = {
  adminUrl: 'OPENNESS_TEST_ADMIN_URL',
  template: 'OPENNESS_TEST_TEMPLATE_DB',
} as const;

/** Same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
