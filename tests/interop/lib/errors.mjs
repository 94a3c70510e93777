// Error types that separate harness failures from verification failures.

/**
 * A failure of the harness or its inputs (bad options, unreadable files, a
 * did:web server that cannot be reached), as opposed to a credential that
 * does not verify. The CLI exits with status 2 when one of these occurs.
 */
export class HarnessError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'HarnessError';
  }
}

/**
 * Find a HarnessError in an error or in the errors it wraps.
 *
 * jsonld and jsonld-signatures wrap document loader failures in their own
 * errors, keeping the original in `cause`, `details.cause` or `errors`.
 *
 * @param {unknown} error - An error from verification.
 * @returns {HarnessError|undefined} The first HarnessError found.
 */
export function findHarnessError(error) {
  const seen = new Set();
  const pending = [error];
  while(pending.length > 0) {
    const current = pending.pop();
    if(!current || typeof current !== 'object' || seen.has(current)) {
      continue;
    }
    seen.add(current);
    if(current instanceof HarnessError) {
      return current;
    }
    pending.push(current.cause, current.details?.cause);
    if(Array.isArray(current.errors)) {
      pending.push(...current.errors);
    }
  }
  return undefined;
}

/**
 * Describe an error as {name, message} for the JSON output.
 *
 * jsonld's own messages are generic ("Safe mode validation error.", "Loading
 * document failed."), so the failing term from `details.event` and the
 * message of the wrapped cause are appended.
 *
 * @param {unknown} error - Any thrown value.
 * @returns {{name: string, message: string}} The description.
 */
export function describeError(error) {
  const description = {
    name: error?.name ?? 'Error',
    message: error?.message ?? String(error)
  };
  const event = error?.details?.event;
  if(event) {
    const eventDetails = event.details ? ' ' + JSON.stringify(event.details) :
      '';
    description.message += ` (${event.code}: ${event.message}${eventDetails})`;
  }
  const cause = error?.details?.cause ?? error?.cause;
  if(cause?.message && cause.message !== description.message) {
    description.message += ` Cause: ${cause.message}`;
  }
  return description;
}
