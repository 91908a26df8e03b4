// Regenerates docs/config.md from schemas/config.schema.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigReference } from '../src/config/reference.js';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, 'docs', 'config.md'), renderConfigReference(join(root, 'schemas', 'config.schema.json')));
console.log('wrote docs/config.md');
