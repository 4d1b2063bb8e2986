import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createSchema, printCommittedSchema } from './schema';

/** `npm run schema:emit`: rewrites schema/schema.graphql from the code-first resolvers. */
async function main() {
  const file = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, printCommittedSchema(await createSchema()));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
