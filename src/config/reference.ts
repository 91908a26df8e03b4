/**
 * Renders the config reference (docs/config.md) from schemas/config.schema.json, so the
 * documentation cannot drift from what the loader accepts: a test compares the two.
 */
import { readFileSync } from 'node:fs';

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

function deref(node: SchemaNode, root: SchemaNode & { $defs?: Record<string, SchemaNode> }): SchemaNode {
  let n = node;
  for (let i = 0; n.$ref && i < 10; i++) {
    const name = n.$ref.replace('#/$defs/', '');
    const target = root.$defs?.[name] ?? {};
    // The referring node's own description is the specific one; a shared scalar def's
    // (e.g. what a duration looks like) would only repeat on every row.
    const own = n.description ?? (target.properties ? target.description : undefined);
    const { description: _shared, ...rest } = target;
    n = { ...rest, ...(own ? { description: own } : {}) };
  }
  return n;
}

function typeOf(node: SchemaNode, root: SchemaNode, refName?: string): string {
  if (refName === 'duration') return 'duration';
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const t = Array.isArray(node.type) ? node.type.join(' \\| ') : node.type;
  if (t === 'array' && node.items) return `list of ${typeOf(deref(node.items, root), root, node.items.$ref?.replace('#/$defs/', ''))}`;
  return t ?? (node.oneOf || node.anyOf ? 'one of several shapes' : 'any');
}

function walk(node: SchemaNode, path: string, required: boolean, root: SchemaNode, rows: Row[]): void {
  const refName = node.$ref?.replace('#/$defs/', '');
  const n = deref(node, root);
  if (path) {
    const range = refName !== 'duration' && (n.minimum !== undefined || n.maximum !== undefined) ? ` (${n.minimum ?? '…'}–${n.maximum ?? '…'})` : '';
    rows.push({ path, type: typeOf(n, root, refName), required, description: `${n.description ?? ''}${range}`.trim() });
  }
  const req = new Set(n.required ?? []);
  for (const [key, child] of Object.entries(n.properties ?? {})) walk(child, path ? `${path}.${key}` : key, req.has(key), root, rows);
  if (typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${path}.<name>`, false, root, rows);
  const items = n.items ? deref(n.items, root) : undefined;
  if (items?.properties) walk(n.items!, `${path}[]`, false, root, rows);
  for (const alt of n.oneOf ?? n.anyOf ?? []) {
    const a = deref(alt, root);
    if (a.properties) walk(alt, path, false, root, rows);
  }
}

export function renderConfigReference(schemaPath: string): string {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaNode;
  const rows: Row[] = [];
  walk(schema, '', true, schema, rows);
  const seen = new Set<string>();
  const typed = new Set(rows.filter((r) => r.type !== 'any').map((r) => r.path));
  const unique = rows
    .filter((r) => r.type !== 'any' || !typed.has(r.path))
    .filter((r) => (seen.has(`${r.path}|${r.type}`) ? false : (seen.add(`${r.path}|${r.type}`), true)));
  const cell = (s: string): string => s.replace(/\|(?!\s)/g, '\\|').replace(/\n/g, ' ');
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from schemas/config.schema.json by `npm run docs:config`; test/config/reference.test.ts keeps it in sync. -->',
    '',
    cell(schema.description ?? ''),
    '',
    'A commented example: [`driftwatch.example.yaml`](../driftwatch.example.yaml).',
    '',
    '| key | type | required | description |',
    '| --- | --- | --- | --- |',
    ...unique.map((r) => `| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${cell(r.description)} |`),
    '',
  ].join('\n');
}
