/** An error Graph would answer with `{"error":{"code","message"}}` and this status. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'The specified object was not found in the store.'): GraphError =>
  new GraphError(404, 'ErrorItemNotFound', what);

export const badRequest = (message: string, code = 'ErrorInvalidRequest'): GraphError =>
  new GraphError(400, code, message);

/** startEmulator was given options that contradict each other or name no known tenant. */
export class EmulatorOptionsError extends Error {
  readonly code = 'EMULATOR_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorOptionsError';
  }
}
