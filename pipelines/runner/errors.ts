/** Something wrong with the model project itself (a bad ref, a cycle, a malformed .yml); the message says where. */
export class ModelProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelProjectError';
  }
}

/** A model's SQL failed in DuckDB; names the model and its file so the analyst knows where to look. */
export class ModelBuildError extends Error {
  constructor(readonly model: string, readonly file: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`model ${model} (${file}) failed to build:\n  ${detail.split('\n').join('\n  ')}`);
    this.name = 'ModelBuildError';
  }
}
