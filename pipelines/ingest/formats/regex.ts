/**
 * Patterns here are written once as strings and run by two engines: DuckDB's RE2 in SQL and JavaScript in
 * detection. JavaScript needs them compiled; detection may see a million values, so each is compiled once.
 */
const compiledPatterns = new Map<string, RegExp>();

export function compiled(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = compiledPatterns.get(key);
  if (!regex) {
    regex = new RegExp(pattern, flags);
    compiledPatterns.set(key, regex);
  }
  return regex;
}

/** `text` matched literally, in either engine. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
