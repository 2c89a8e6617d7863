/** Where the values came from, for messages a person can act on. */
export interface ColumnOrigin {
  readonly column?: string;
  readonly file?: string;
}

function where(origin: ColumnOrigin): string {
  return `${origin.file ?? '(unnamed file)'}, column "${origin.column ?? '(unnamed column)'}"`;
}

function quoted(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

/**
 * Dates written day and month first (05/01/2024) whose order the data cannot settle: every value reads as both
 * D/M and M/D, or some values fit only D/M and others only M/D. Guessing would load wrong dates without a word,
 * so the user is asked to say which.
 */
export class AmbiguousDateFormatError extends Error {
  readonly column: string | undefined;
  readonly file: string | undefined;
  constructor(
    origin: ColumnOrigin,
    readonly examples: readonly string[],
    readonly reason: 'fits-both' | 'conflicting',
  ) {
    const problem = reason === 'fits-both'
      ? `every date (e.g. ${quoted(examples)}) reads both as day/month/year and as month/day/year`
      : `some dates fit only day/month/year and others only month/day/year (e.g. ${quoted(examples)})`;
    super(`${where(origin)}: ${problem}, so the order cannot be told from the data. ` +
      'Pass --date-format DMY (05/01/2024 = 5 January) or --date-format MDY (05/01/2024 = May 1); ' +
      'dates that do not fit the chosen order are quarantined.');
    this.name = 'AmbiguousDateFormatError';
    this.column = origin.column;
    this.file = origin.file;
  }
}

/** A column in which not one value is a date in any shape we recognise. */
export class UnrecognisedDateFormatError extends Error {
  readonly column: string | undefined;
  readonly file: string | undefined;
  constructor(origin: ColumnOrigin, readonly examples: readonly string[]) {
    super(`${where(origin)}: no value is a date in a recognised format (e.g. ${quoted(examples)}). ` +
      'Recognised: 2024-01-05, 2024/1/5 9:03, 2024-01-05T09:03:00Z, 2024年1月5日, 05.01.2024, 1/5/2024 9:03 AM, ' +
      '20240105, and Excel serial numbers such as 45296.');
    this.name = 'UnrecognisedDateFormatError';
    this.column = origin.column;
    this.file = origin.file;
  }
}
