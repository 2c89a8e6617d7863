import type { z } from 'zod';

/** Raised when a configuration file does not match its schema; names the file, the key and what was expected. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: invalid configuration\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Turns zod issues into "key.path: message" lines that name the bad key the way it is written in the file. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `${key}: ${issue.message}`;
  });
}

/** Parses with `safeParse` and returns a deeply frozen value, or throws a ConfigError naming the file. */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, file: string): Readonly<z.output<S>> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return deepFreeze(result.data);
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
