/**
 * One pass of the digest schedule: if a run is due, give every opted-in user their
 * digest for it, at most once. Safe to call from several server instances at once and
 * again after a restart:
 *
 * - Before sending, a DigestSend row (user, run) is inserted; the unique key lets only
 *   one caller have it. Whoever does not get it leaves that digest alone.
 * - A send that failed (the SMTP server refused or was unreachable: nothing was
 *   accepted) is tried again on a later pass, up to MAX_ATTEMPTS, by the caller that
 *   flips it back to "sending" (a conditional update only one can win).
 * - A row left "sending" (the process died mid-send: maybe the server took the mail) is
 *   marked "unknown" and never retried: a missing digest is better than a double one.
 */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";
import { log } from "@/lib/log";
import { composeDigest, worthSending } from "./digest";
import type { SendFn } from "./mailer";
import { digestData, digestRecipients, digestSettings } from "./reads";
import { dueRun } from "./schedule";

export const MAX_ATTEMPTS = 3;
/** A failed send waits this long before the next try. */
export const RETRY_AFTER_MS = 5 * 60_000;
/** A send still "sending" after this long is taken as lost (longer than any bounded SMTP wait). */
export const STALE_SENDING_MS = 10 * 60_000;

export interface RunResult {
  period: string | null;
  sent: number;
  skipped: number;
  failed: number;
  /** Digests another caller had already (or is) handling. */
  taken: number;
}

const isUniqueViolation = (err: unknown) => typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";

/** Claim the user's digest for the period; true when this caller now owns the send. */
async function claim(db: DbOrTx, userId: string, period: string, now: Date): Promise<boolean> {
  try {
    await db.digestSend.create({ data: { userId, period, status: "sending", claimedAt: now } });
    return true;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await db.digestSend.findUnique({
    where: { userId_period: { userId, period } },
    select: { id: true, status: true, attempts: true, claimedAt: true },
  });
  if (!row || row.status !== "failed" || row.attempts >= MAX_ATTEMPTS || now.getTime() - row.claimedAt.getTime() < RETRY_AFTER_MS) return false;
  const res = await db.digestSend.updateMany({
    where: { id: row.id, status: "failed", attempts: row.attempts },
    data: { status: "sending", attempts: row.attempts + 1, claimedAt: now, error: null },
  });
  return res.count === 1;
}

export async function runDigests(opts: { send: SendFn; baseUrl: string; now?: Date }, db: DbOrTx = getDb()): Promise<RunResult> {
  const now = opts.now ?? new Date();
  const result: RunResult = { period: null, sent: 0, skipped: 0, failed: 0, taken: 0 };
  await db.digestSend.updateMany({
    where: { status: "sending", claimedAt: { lt: new Date(now.getTime() - STALE_SENDING_MS) } },
    data: { status: "unknown", error: "the server stopped while sending; not retried, so it is never sent twice" },
  });
  const settings = await digestSettings(db);
  const run = dueRun(settings, now);
  if (!run) return result;
  result.period = run.period;

  for (const user of await digestRecipients(db)) {
    if (!(await claim(db, user.userId, run.period, now))) {
      result.taken++;
      continue;
    }
    const where = { userId_period: { userId: user.userId, period: run.period } };
    try {
      const data = await digestData(user, settings, now, db);
      if (!data || !worthSending(data)) {
        await db.digestSend.update({ where, data: { status: "skipped", error: data ? null : "account not linked to a person" } });
        result.skipped++;
        continue;
      }
      const mail = composeDigest(data, opts.baseUrl);
      const info = await opts.send({ to: user.email, ...mail });
      await db.digestSend.update({
        where,
        data: { status: "sent", sentAt: new Date(), messageId: info.messageId.slice(0, 300), itemCount: data.items.length },
      });
      result.sent++;
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      log.warn({ userId: user.userId, period: run.period, err: message }, "digest: send failed");
      await db.digestSend.update({ where, data: { status: "failed", error: message } }).catch(() => {});
      result.failed++;
    }
  }
  return result;
}
