/**
 * A remote dom0 as a HostAccess (host-access.ts): its xenstored and its QEMUs' QMP sockets as
 * `direct-streamlocal@openssh.com` channels of one SSH connection, its /proc and its QMP socket
 * directory over that connection's SFTP session. The snapshot, the XenStore and QMP clients and
 * the procfs inspection run unchanged on top.
 */
import type { HostAccess, LocalHostPaths, QmpDialer } from "@/lib/devmodel/host-access";
import type { StreamTransport } from "@/lib/devmodel/transport";
import type { SshConnection } from "./connection";
import { listSftpQmpSockets, sftpProcFs } from "./sftp";

/** A unix socket on the host, reached through the connection. */
export function sshSocketTransport(conn: SshConnection, socketPath: string): StreamTransport {
  return { address: `${conn.where}:${socketPath}`, open: ({ signal }) => conn.openStreamLocal(socketPath, signal) };
}

export function sshQmpDialer(conn: SshConnection, dir: string): QmpDialer {
  return { dir, scan: () => listSftpQmpSockets(conn, dir), transport: (p) => sshSocketTransport(conn, p) };
}

/** The host at the other end of `conn`, with the same three paths as a local host. */
export function sshHostAccess(conn: SshConnection, paths: LocalHostPaths): HostAccess {
  return {
    source: { xenstored: `${conn.where}:${paths.xenstored}`, qmpDir: `${conn.where}:${paths.qmpDir}`, procRoot: `${conn.where}:${paths.procRoot}` },
    xenstored: sshSocketTransport(conn, paths.xenstored),
    qmp: sshQmpDialer(conn, paths.qmpDir),
    proc: sftpProcFs(conn, paths.procRoot),
  };
}
