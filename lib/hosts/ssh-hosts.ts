/**
 * SSH hosts in the app: the SSH columns of a saved host, "Test connection" of an SSH host (it
 * shows the offered host key on first contact, and refuses a changed one), and an admin
 * accepting a host key (pinned, audited). The private key never passes here: only its path.
 */
import { audit, type AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import { SshHostKeyError, sshHostAccess } from "@/lib/devmodel/ssh";
import { sshConnectionFor } from "./access";
import type { HostInput } from "./schemas";
import { testConnection, type ConnectionReport, type ProtocolResult } from "./test-connection";
import type { HostConfig } from "./types";

export interface SshFields {
  sshTarget: string | null;
  sshIdentityPath: string | null;
  sshHostKey: string | null;
}

/**
 * The SSH columns to store for `input`. The pinned key is the one accepted in the form, else the
 * current one — unless the target changed, which makes it another host whose key is not known.
 */
export function sshFieldsOf(input: Pick<HostInput, "kind" | "sshTarget" | "sshIdentityPath" | "sshHostKey">, cur: Partial<SshFields> | null): SshFields {
  if (input.kind !== "ssh") return { sshTarget: null, sshIdentityPath: null, sshHostKey: null };
  const sameTarget = cur?.sshTarget === input.sshTarget;
  let key: string | null = input.sshHostKey || null;
  if (!sameTarget && key !== null && key === (cur?.sshHostKey ?? null)) key = null;
  if (key === null && sameTarget) key = cur?.sshHostKey ?? null;
  return { sshTarget: input.sshTarget, sshIdentityPath: input.sshIdentityPath || null, sshHostKey: key };
}

export interface HostKeyReport {
  /** pinned: the host offered the pinned key; unknown: none pinned yet; changed: another one is pinned. */
  status: "pinned" | "unknown" | "changed";
  offered: { type: string; fingerprint: string } | null;
  pinned: string | null;
}

export type SshConnectionReport = ConnectionReport & { hostKey: HostKeyReport | null };

/** "Test connection" of an SSH host: the session (host key, login), then the three probes over it. */
export async function probeSshHost(h: HostConfig): Promise<SshConnectionReport> {
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  let conn;
  try {
    // No backoff games: one attempt, then the connection is closed.
    conn = sshConnectionFor(h);
  } catch (e) {
    return { verdict: "fail", results: [{ protocol: "ssh", verdict: "fail", message: (e as Error).message, elapsedMs: 0 }], hostKey: null };
  }
  try {
    try {
      await conn.ready();
    } catch (e) {
      const k = conn.lastOfferedKey;
      const offered = k ? { type: k.type, fingerprint: k.fingerprint } : null;
      const pinned = h.sshHostKey ?? null;
      const hostKey: HostKeyReport | null =
        e instanceof SshHostKeyError
          ? { status: e.problem === "unknown" ? "unknown" : "changed", offered, pinned }
          : offered
            ? { status: "pinned", offered, pinned }
            : null;
      return { verdict: "fail", results: [{ protocol: "ssh", verdict: "fail", message: (e as Error).message, elapsedMs: elapsed() }], hostKey };
    }
    const k = conn.lastOfferedKey!;
    const sshResult: ProtocolResult = {
      protocol: "ssh",
      verdict: "ok",
      message: `logged in to ${conn.where}; host key ${k.type} ${k.fingerprint} is the pinned one`,
      elapsedMs: elapsed(),
    };
    const report = await testConnection(sshHostAccess(conn, { xenstored: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot }));
    return {
      verdict: report.verdict,
      results: [sshResult, ...report.results],
      hostKey: { status: "pinned", offered: { type: k.type, fingerprint: k.fingerprint }, pinned: h.sshHostKey ?? null },
    };
  } finally {
    await conn.close();
  }
}

/** An admin pins the host key a connection test showed (first contact, or after a verified change). Audited. */
export async function acceptHostKey(actor: AuditActor, id: string, fingerprint: string, db: DbOrTx = getDb()): Promise<{ id: string; version: number }> {
  return inTransaction(db, async (tx) => {
    const cur = await tx.host.findUnique({ where: { id } });
    if (!cur) throw new DomainError("NOT_FOUND", "No such host");
    if (cur.kind !== "ssh") throw new DomainError("INVALID", "Only an SSH host has a host key");
    const after = await tx.host.update({ where: { id }, data: { sshHostKey: fingerprint, version: { increment: 1 } } });
    await audit(tx, actor, "host", id, "accept-host-key", { sshTarget: cur.sshTarget, before: cur.sshHostKey, after: fingerprint });
    return { id, version: after.version };
  });
}
