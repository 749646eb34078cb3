/**
 * Where the xenstored socket is, by libxenstore's rules (xen.git
 * tools/include/xen-tools/xenstore-common.h `xenstore_daemon_path`):
 * XENSTORED_PATH names the socket outright; otherwise `${XENSTORED_RUNDIR}/socket` with the
 * compiled-in rundir /var/run/xenstored. libxenstore tests the variables with getenv() != NULL,
 * so a variable set to the empty string still counts as set (pyxs differs: it treats "" as unset).
 */
export const DEFAULT_XENSTORED_RUNDIR = "/var/run/xenstored";

export function resolveSocketPath(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.XENSTORED_PATH;
  if (explicit !== undefined) return explicit;
  const rundir = env.XENSTORED_RUNDIR;
  return `${rundir !== undefined ? rundir : DEFAULT_XENSTORED_RUNDIR}/socket`;
}
