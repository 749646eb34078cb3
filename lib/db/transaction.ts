import { DomainError } from "./errors";
import type { DbOrTx, Tx } from "./types";

export interface TransactionOptions {
  /**
   * Run at SERIALIZABLE isolation: for a rule that reads rows and then writes based on
   * them ("never remove the last admin"), where READ COMMITTED (PostgreSQL's default)
   * would let two concurrent transactions both pass the check. SQLite is always so.
   */
  serializable?: boolean;
  /** With `serializable`: the message of the CONFLICT raised when the engine aborts one of two racing transactions. */
  conflict?: string;
}

/**
 * A serialization failure: Prisma's P2034 ("write conflict or deadlock") when PostgreSQL
 * aborts a statement, or the driver adapter's own error when it aborts the COMMIT (SSI
 * detects some conflicts only there; Prisma passes that one through unconverted).
 */
const isSerializationFailure = (err: unknown) => {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; name?: unknown; cause?: { kind?: unknown } };
  return e.code === "P2034" || (e.name === "DriverAdapterError" && e.cause?.kind === "TransactionWriteConflict");
};

/**
 * Runs `fn` in a transaction, or directly in the caller's one: commands are public on
 * the client and composable inside a larger transaction (createMeeting records the
 * guided review in the same one, so a meeting never exists without it).
 */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  if (!("$transaction" in db && typeof db.$transaction === "function")) return fn(db);
  try {
    return await db.$transaction(fn, { timeout: 20_000, maxWait: 10_000, ...(opts.serializable && { isolationLevel: "Serializable" as const }) });
  } catch (err) {
    if (opts.serializable && isSerializationFailure(err))
      throw new DomainError("CONFLICT", opts.conflict ?? "Someone else changed this at the same time; nothing was saved. Try again.");
    throw err;
  }
}
