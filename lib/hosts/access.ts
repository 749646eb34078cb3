/**
 * How the collector reaches each host: local paths (a dom0 it runs on, the simulator), or one
 * SSH connection per remote host (lib/devmodel/ssh), kept while the host is read and closed when
 * it is removed or its target, identity or pinned key changes. Each host has its own connection,
 * so a dead or slow one never delays another.
 *
 * The private key comes from the host's identity path, else DMBOARD_SSH_IDENTITY, else the agent
 * at SSH_AUTH_SOCK; the host key must match the pinned fingerprint (none pinned: refused, with
 * the offered fingerprint in the error for an admin to accept).
 */
import { localHostAccess, type HostAccess } from "@/lib/devmodel/host-access";
import { SshConnection, pinnedHostKey, sshHostAccess, sshTarget, type SshConnectionOptions } from "@/lib/devmodel/ssh";
import type { StreamTransport } from "@/lib/devmodel/transport";
import type { HostConfig } from "./types";

/** The key sources for an SSH host, from its row and the server's environment. */
export function sshAuthOf(
  host: Pick<HostConfig, "sshIdentityPath">,
  env: NodeJS.ProcessEnv = process.env,
): { identityFile: string | null; agent: string | null } {
  return { identityFile: host.sshIdentityPath || env.DMBOARD_SSH_IDENTITY || null, agent: env.SSH_AUTH_SOCK || null };
}

/** A new connection to an SSH host, verifying its key against the pinned one. */
export function sshConnectionFor(host: HostConfig, extra: Partial<SshConnectionOptions> = {}, env: NodeJS.ProcessEnv = process.env): SshConnection {
  if (!host.sshTarget) throw new RangeError(`host ${host.name} has no SSH target`);
  const target = sshTarget(host.sshTarget);
  return new SshConnection({ target, ...sshAuthOf(host, env), verifyHostKey: pinnedHostKey(host.sshTarget, host.sshHostKey), ...extra });
}

const sshKey = (h: HostConfig) => JSON.stringify([h.sshTarget, h.sshIdentityPath ?? null, h.sshHostKey ?? null]);

export class HostAccessPool {
  private readonly conns = new Map<string, { key: string; conn: SshConnection }>();

  constructor(
    private readonly extra: Partial<SshConnectionOptions> = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The SSH connection of an ssh host (opened lazily on first use), replaced when its settings change. */
  connection(h: HostConfig): SshConnection {
    const key = sshKey(h);
    const have = this.conns.get(h.id);
    if (have && have.key === key) return have.conn;
    if (have) void have.conn.close();
    const conn = sshConnectionFor(h, this.extra, this.env);
    this.conns.set(h.id, { key, conn });
    return conn;
  }

  accessFor(h: HostConfig): HostAccess {
    const paths = { xenstored: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot };
    return h.kind === "ssh" ? sshHostAccess(this.connection(h), paths) : localHostAccess(paths);
  }

  /** The transport to the host's xenstored (the watch connection). */
  xenstored(h: HostConfig): StreamTransport {
    return this.accessFor(h).xenstored;
  }

  /** Whether a session to the host is up (ssh hosts; null for the others). */
  connected(hostId: string): boolean | null {
    return this.conns.get(hostId)?.conn.connected ?? null;
  }

  /** The host is no longer read: close its connection. */
  release(hostId: string): Promise<void> {
    const have = this.conns.get(hostId);
    this.conns.delete(hostId);
    return have ? have.conn.close() : Promise.resolve();
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.allSettled(all.map((c) => c.conn.close()));
  }
}
