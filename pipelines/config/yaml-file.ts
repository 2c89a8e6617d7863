import { readFileSync } from 'node:fs';
import { parse, YAMLParseError } from 'yaml';
import { ConfigError } from './zod-errors.ts';

/** Reads a YAML file; syntax errors become a ConfigError with the file, line and column. */
export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read file: ${(error as Error).message}`]);
  }
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0];
      const place = where ? `line ${where.line}, column ${where.col}` : 'somewhere';
      throw new ConfigError(file, [`YAML syntax error at ${place}: ${error.message.split('\n')[0]}`]);
    }
    throw error;
  }
}
