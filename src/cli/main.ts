import { Command, CommanderError } from 'commander';
import { DriftwatchError, errorMessage } from '../errors.js';
import { packageVersion } from '../util/package-version.js';
import { registerRules } from './commands/rules.js';
import { registerRetrain } from './commands/retrain.js';
import { registerBaseline } from './commands/baseline.js';
import { registerCheck } from './commands/check.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';

/** Each command module adds itself to the program; keep this list in help order. */
const commandModules: ReadonlyArray<(program: Command) => void> = [registerRun, registerBaseline, registerCheck, registerRules, registerRetrain, registerReport];

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('driftwatch')
    .description('Streaming data-quality and drift monitoring for ML features on Kafka')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const add of commandModules) add(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return err.exitCode;
    }
    if (err instanceof DriftwatchError) {
      process.stderr.write(`driftwatch: ${err.message} [${err.code}]\n`);
      return 2;
    }
    process.stderr.write(`driftwatch: unexpected error: ${errorMessage(err)}\n`);
    if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
