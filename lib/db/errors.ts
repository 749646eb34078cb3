/**
 * Errors the domain raises on purpose; the action/route guards turn them into
 * typed results (never a 500 with a stack trace).
 */
export type DomainErrorCode = "NOT_FOUND" | "CONFLICT" | "INVALID" | "FORBIDDEN";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For CONFLICT: the current stored version, so the UI can show both side by side. */
    readonly detail?: unknown,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
