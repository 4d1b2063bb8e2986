import os from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../logger';
import { runDatabaseCommand } from '../db/cli';
import {
  CalendarOperatorError,
  grantCalendarOperator,
  listCalendarOperators,
  revokeCalendarOperator,
} from '../modules/calendar/calendar-operator';

const USAGE = 'usage: npm run calendar:operator -- grant <username> | revoke <username> | list';

/**
 * `npm run calendar:operator -- grant <username> | revoke <username> | list` — who maintains the
 * national working calendar. A deployment decision taken by whoever runs the service (on the owner's
 * connection, DATABASE_URL or the embedded database), deliberately not a GraphQL mutation: no tenant
 * administrator can give it to itself. The grant records the operating-system user who ran the command.
 */
const [command, username, ...rest] = process.argv.slice(2);
const valid = (command === 'list' && !username) || ((command === 'grant' || command === 'revoke') && !!username && rest.length === 0);
if (!valid) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(64);
}

runDatabaseCommand('calendar operator', async (orm) => {
  const em = orm.em.fork() as EntityManager;
  try {
    if (command === 'grant') {
      const grantedBy = `cli:${os.userInfo().username}`;
      const outcome = await grantCalendarOperator(em, username!, grantedBy);
      rootLogger.info({ username, outcome, grantedBy }, outcome === 'GRANTED' ? 'calendar operator granted' : 'already a calendar operator');
    } else if (command === 'revoke') {
      const outcome = await revokeCalendarOperator(em, username!);
      rootLogger.info({ username, outcome }, outcome === 'REVOKED' ? 'calendar operator revoked' : 'was not a calendar operator');
    } else {
      const operators = await listCalendarOperators(em);
      process.stdout.write(
        operators.length === 0
          ? 'no calendar operators\n'
          : operators
              .map((o) => `${o.username}\t${o.displayName}\t${o.agencyName}\tgranted ${o.grantedAt.toISOString()} by ${o.grantedBy}${o.active ? '' : '\t(account disabled)'}`)
              .join('\n') + '\n',
      );
    }
  } catch (err) {
    if (!(err instanceof CalendarOperatorError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  }
});
