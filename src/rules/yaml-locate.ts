/**
 * Maps a JSON pointer (ajv's `instancePath`) back to a line in the YAML source, so a
 * schema error can say "rules/amount.yaml:7 tests.psi.warn: …".
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';

export interface LocatedYaml {
  readonly doc: Document;
  readonly value: unknown;
  /** 1-based line of the node at `pointer` (or of its map key when `key` is given). */
  lineOf(pointer: string, key?: string): number;
}

export interface YamlSyntaxProblem {
  readonly line: number;
  readonly message: string;
}

/** Parses YAML, returning the document with a locator, or the first syntax problem. */
export function parseYamlLocated(text: string): LocatedYaml | YamlSyntaxProblem {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0].line ?? 1;
    // yaml appends a code excerpt after the first line; the first line is the reason.
    const reason = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    return { line, message: reason };
  }
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  return {
    doc,
    value: doc.toJS() as unknown,
    lineOf(pointer: string, key?: string): number {
      const segments = pointerSegments(pointer);
      if (key !== undefined) segments.push(key);
      let node: unknown = doc.contents;
      let line = lineAt((doc.contents as Node | null)?.range?.[0]);
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i] as string;
        const last = i === segments.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
          if (pair === undefined) return line;
          const keyNode = pair.key as Node;
          // For an unknown key, point at the key itself; otherwise at the value.
          const target = last && key !== undefined ? keyNode : ((pair.value as Node | null) ?? keyNode);
          line = lineAt(target.range?.[0] ?? keyNode.range?.[0]);
          node = pair.value;
        } else if (isSeq(node)) {
          const item = node.items[Number(seg)] as Node | undefined;
          if (item === undefined) return line;
          line = lineAt(item.range?.[0]);
          node = item;
        } else {
          return line;
        }
      }
      return line;
    },
  };
}

export function isSyntaxProblem(x: LocatedYaml | YamlSyntaxProblem): x is YamlSyntaxProblem {
  return !('doc' in x);
}

/** `/tests/psi/warn` → ['tests', 'psi', 'warn'] (RFC 6901 unescaping). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/tests/psi/warn` → `tests.psi.warn` for messages. */
export function dottedPath(pointer: string, key?: string): string {
  const segs = pointerSegments(pointer);
  if (key !== undefined) segs.push(key);
  return segs.length === 0 ? '(top level)' : segs.join('.');
}
