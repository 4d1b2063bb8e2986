/** Where the test cluster is: set by global-setup, read by every test file (jest passes env to workers). */
export const TEST_ENV = {
  adminUrl: 'OPENNESS_TEST_ADMIN_URL',
  template: 'OPENNESS_TEST_TEMPLATE_DB',
} as const;

/**
 * The password global-setup gives the least-privilege request role (openness_service) on the test
 * cluster; the harness's server logs in with it, as `npm start` does with its generated one.
 */
export const TEST_SERVICE_PASSWORD = 'test-service-password-0123456789';

/** Same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
