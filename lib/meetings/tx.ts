import type { Db } from "@/lib/db/client";
import type { TransactionClient } from "@/generated/sqlite/internal/prismaNamespace";

/** Inside a transaction: the model methods without $transaction/$connect. */
export type Tx = TransactionClient;

/** Either the client or an open transaction. */
export type DbOrTx = Db | Tx;

/**
 * Runs `fn` in a transaction, or directly in the caller's one: domain functions are
 * public on the client and composable inside a larger transaction (createMeeting
 * records the guided review in the same one, so a meeting never exists without it).
 */
export function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$transaction" in db && typeof db.$transaction === "function") {
    return (db as Db).$transaction((tx) => fn(tx as Tx), { timeout: 20_000, maxWait: 10_000 });
  }
  return fn(db as Tx);
}
