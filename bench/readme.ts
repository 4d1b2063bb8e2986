/**
 * `npm run bench:readme`: rewrites the block between `<!-- bench:start -->` and `<!-- bench:end -->`
 * in README.md from bench/results.json (the last `npm run bench`), without running anything.
 */
import fs from 'node:fs';
import { README_PATH, RESULTS_PATH, updateReadmeBlock, type BenchResults } from './report';

const results = JSON.parse(fs.readFileSync(RESULTS_PATH, 'utf8')) as BenchResults;
if (!updateReadmeBlock(README_PATH, results)) {
  console.error('README.md has no <!-- bench:start --> … <!-- bench:end --> block');
  process.exit(1);
}
console.log(`README.md benchmark block rewritten from ${RESULTS_PATH} (${results.date})`);
