/**
 * Column names as users mean them: WukongCRM templates mark required columns with a leading `*` (`*客户名称`),
 * which is not part of the name. Empty names become `column_N` (N = 1-based column position) and repeats get
 * `_2`, `_3`…, compared case-insensitively because DuckDB identifiers are.
 */
export function cleanHeaderNames(raw: readonly string[]): string[] {
  const trimmed = raw.map((name) => name.trim().replace(/^[*＊]+/, '').trim());
  const taken = new Set(trimmed.filter((name) => name !== '').map((name) => name.toLowerCase()));
  const used = new Set<string>();
  return trimmed.map((name, index) => {
    let unique = name === '' ? `column_${index + 1}` : name;
    for (let n = 2; used.has(unique.toLowerCase()) || (unique !== name && taken.has(unique.toLowerCase())); n++) {
      unique = name === '' ? `column_${index + 1}_${n}` : `${name}_${n}`;
    }
    used.add(unique.toLowerCase());
    return unique;
  });
}
