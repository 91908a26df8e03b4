/**
 * Reads driftwatch.yaml once at start: YAML → ${ENV} substitution → JSON Schema → defaults and
 * cross-field checks → frozen DriftwatchConfig. Every problem found is reported at once, each
 * with file:line:column and the field path.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, InputNotFoundError } from '../errors.js';
import { substituteEnv } from './env.js';
import type { Env } from './env.js';
import { normalizeConfig } from './normalize.js';
import type { RawConfig } from './normalize.js';
import { validateConfigDocument } from './schema.js';
import type { ConfigProblem } from './schema.js';
import type { DriftwatchConfig } from './types.js';
import { parseYamlSource } from './yaml-source.js';

export interface LoadConfigOptions {
  /** Variables for ${NAME} references; default process.env. */
  readonly env?: Env;
  /**
   * Directory relative paths in the file are resolved against; default the current
   * directory, like paths given on the command line (the Docker image runs from /app with
   * the config mounted elsewhere).
   */
  readonly baseDir?: string;
}

export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<DriftwatchConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputNotFoundError(`config file ${path} does not exist`, { cause: err, details: { file: path } });
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, { cause: err, details: { file: path } });
  }
  return parseConfig(text, path, options);
}

/** Same as loadConfig for text already in memory; `file` is used in messages. */
export function parseConfig(text: string, file: string, options: LoadConfigOptions = {}): DriftwatchConfig {
  const src = parseYamlSource(text, file);
  if (src.doc.contents === null) throw fail(file, [{ line: 1, column: 1, field: '(top level)', message: 'the file is empty' }]);
  const { fromEnv } = substituteEnv(src, options.env ?? process.env);
  const data: unknown = src.doc.toJS({ maxAliasCount: 100 });
  const schemaProblems = validateConfigDocument(src, data, fromEnv);
  if (schemaProblems.length > 0) throw fail(file, schemaProblems);
  const { config, problems } = normalizeConfig(data as RawConfig, {
    src,
    baseDir: resolve(options.baseDir ?? process.cwd()),
    source: resolve(file),
  });
  if (problems.length > 0) throw fail(file, problems);
  return config;
}

function fail(file: string, problems: readonly ConfigProblem[]): ConfigError {
  const lines = problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.field}: ${p.message}`);
  const head = `${file}: invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'})`;
  return new ConfigError(`${head}\n${lines.join('\n')}`, { details: { file, errors: problems } });
}
