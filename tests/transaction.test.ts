/** inTransaction turns both shapes of a serialization failure into the CONFLICT the forms show. */
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";

const failingWith = (err: unknown) => ({ $transaction: () => Promise.reject(err) }) as unknown as DbOrTx;
// What Prisma 6.19's pg adapter throws when PostgreSQL aborts the COMMIT (SQLSTATE 40001).
const commitConflict = Object.assign(new Error("TransactionWriteConflict"), { name: "DriverAdapterError", cause: { kind: "TransactionWriteConflict" } });

describe("inTransaction", () => {
  it.each([
    ["P2034 (a statement aborted)", Object.assign(new Error("write conflict"), { code: "P2034" })],
    ["the adapter's error (the COMMIT aborted)", commitConflict],
  ])("a serialization failure, %s, is a CONFLICT with the caller's message", async (_, err) => {
    const p = inTransaction(failingWith(err), async () => 1, { serializable: true, conflict: "Someone else changed the roles." });
    await expect(p).rejects.toBeInstanceOf(DomainError);
    await expect(p).rejects.toMatchObject({ code: "CONFLICT", message: "Someone else changed the roles." });
  });

  it("other errors, and conflicts outside a serializable transaction, pass through", async () => {
    const other = Object.assign(new Error("boom"), { name: "DriverAdapterError", cause: { kind: "TableDoesNotExist" } });
    await expect(inTransaction(failingWith(other), async () => 1, { serializable: true })).rejects.toBe(other);
    await expect(inTransaction(failingWith(commitConflict), async () => 1)).rejects.toBe(commitConflict);
  });
});
