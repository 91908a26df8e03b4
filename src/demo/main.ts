/**
 * `npm run demo`: the whole pipeline on a synthetic card-transaction stream (see run-demo.ts).
 * Progress goes to stderr, the summary to stdout. Exit code 0 on success, 1 on failure.
 */
import { DriftwatchError, errorMessage } from '../errors.js';
import { runDemo } from './run-demo.js';
import { formatSummary } from './summary.js';

try {
  const summary = await runDemo();
  process.stdout.write(`\n${formatSummary(summary)}`);
  process.exitCode = 0;
} catch (err) {
  const code = err instanceof DriftwatchError ? ` [${err.code}]` : '';
  process.stderr.write(`demo failed: ${errorMessage(err)}${code}\n`);
  if (!(err instanceof DriftwatchError) && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
}
