/**
 * A parsed YAML file that remembers where every value came from, so validation errors can
 * name the line a user has to edit (ajv only knows JSON pointers).
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { ConfigError } from '../errors.js';

export type PathSegment = string | number;

export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Parses YAML; syntax errors (incl. duplicate keys) become one ConfigError naming file and lines. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  // uniqueKeys (default) makes duplicate keys an error instead of last-one-wins.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      // yaml's own message repeats the position and a code excerpt; keep its first line.
      const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
      return { line: pos.line, column: pos.col, field: '', message: first };
    });
    // After the first syntax error the parser's later complaints are mostly echoes of it.
    const shown = problems.slice(0, 3).map((p) => `  ${file}:${p.line}:${p.column}: ${p.message}`);
    if (problems.length > 3) shown.push(`  … and ${problems.length - 3} more after these`);
    throw new ConfigError(
      `${file}: invalid YAML\n${shown.join('\n')}`,
      { details: { file, errors: problems } },
    );
  }
  return { file, doc, lines };
}

/** JSON pointer (ajv's instancePath) → path segments; array indices become numbers. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg));
}

/** `streams[0].windows.size`: the way a user reads a YAML path. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Where `path` is in the file. With `key: true` points at the map key rather than its value
 * (for "unknown key" errors). A path that does not exist (a missing required key) resolves
 * to the deepest existing ancestor, which is where the key has to be added.
 */
export function locate(src: YamlSource, path: readonly PathSegment[], opts: { key?: boolean } = {}): SourcePosition {
  let node: unknown = src.doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (last && opts.key && keyStart !== undefined) {
        best = keyStart;
        break;
      }
      node = pair.value;
      best = rangeStart(node) ?? keyStart ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      best = rangeStart(node) ?? best;
    } else {
      break;
    }
  }
  const pos = src.lines.linePos(best);
  return { line: Math.max(pos.line, 1), column: Math.max(pos.col, 1) };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}
