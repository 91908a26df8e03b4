import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from '../../src/config/reference.js';

const root = join(import.meta.dirname, '..', '..');

describe('config reference', () => {
  const rendered = renderConfigReference(join(root, 'schemas', 'config.schema.json'));

  it('docs/config.md is what the schema generates (run npm run docs:config)', () => {
    expect(readFileSync(join(root, 'docs', 'config.md'), 'utf8')).toBe(rendered);
  });

  it('lists the keys users set most', () => {
    for (const key of ['kafka.brokers', 'streams[].topic', 'streams[].encoding', 'streams[].windows.size', 'storage.duckdb', 'http.port']) {
      expect(rendered).toContain(`| \`${key}\` |`);
    }
  });
});
