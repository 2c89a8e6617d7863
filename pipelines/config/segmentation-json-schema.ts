// Regenerates models/segmentation.schema.json from the zod schema: `npx tsx pipelines/config/segmentation-json-schema.ts`.
// A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_PATHS } from '../project-paths.ts';
import { segmentationJsonSchema } from './segmentation.ts';

export const SEGMENTATION_JSON_SCHEMA_PATH = join(PROJECT_PATHS.modelsDir, 'segmentation.schema.json');

export function segmentationJsonSchemaText(): string {
  const schema = { title: 'crm-tiers segmentation rules (models/segmentation.yml)', ...segmentationJsonSchema() };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SEGMENTATION_JSON_SCHEMA_PATH, segmentationJsonSchemaText());
  process.stdout.write(`wrote ${SEGMENTATION_JSON_SCHEMA_PATH}\n`);
}
