/**
 * Where an SSH host is: `user@host[:port]` (IPv6 in brackets: `root@[fd00::1]:2222`). Parsed
 * strictly — the parts go into a TCP connect and the SSH user name, never into a command line,
 * but a typo should be refused with a sentence, not a DNS error.
 */

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export const SSH_DEFAULT_PORT = 22;
const USER_RE = /^[A-Z_][\w.-]{0,31}$/i;
const HOSTNAME_RE = /^(?=.{1,253}$)[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?(?:\.[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?)*\.?$/i;
const IPV6_RE = /^[0-9A-F:.]{2,45}$/i;
const TARGET_RE = /^([^@\s]+)@(\[[^\]\s]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/;

/** `user@host[:port]` → its parts, or a sentence saying what is wrong. */
export function parseSshTarget(text: string): { ok: true; target: SshTarget } | { ok: false; error: string } {
  const m = TARGET_RE.exec(text.trim());
  if (!m) return { ok: false, error: "SSH target must look like user@host or user@host:port" };
  const [, user, rawHost, rawPort] = m;
  if (!USER_RE.test(user)) return { ok: false, error: `SSH user ${JSON.stringify(user)} is not a valid user name` };
  let host = rawHost;
  if (host.startsWith("[")) {
    host = host.slice(1, -1);
    if (!IPV6_RE.test(host) || !host.includes(":")) return { ok: false, error: `${JSON.stringify(rawHost)} is not an IPv6 address` };
  } else if (!HOSTNAME_RE.test(host)) {
    return { ok: false, error: `${JSON.stringify(host)} is not a host name or address` };
  }
  const port = rawPort === undefined ? SSH_DEFAULT_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, error: `SSH port must be 1–65535, not ${rawPort}` };
  return { ok: true, target: { user, host, port } };
}

/** The parts, or throws a RangeError with parseSshTarget's sentence. */
export function sshTarget(text: string): SshTarget {
  const r = parseSshTarget(text);
  if (!r.ok) throw new RangeError(r.error);
  return r.target;
}

/** `user@host:port` (brackets around an IPv6 address), as shown and stored. */
export function formatSshTarget(t: SshTarget): string {
  return `${t.user}@${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}`;
}
