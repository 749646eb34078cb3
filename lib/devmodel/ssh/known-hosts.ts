/**
 * OpenSSH's `known_hosts`, read the way `ssh` reads it, for `npm run dm -- snapshot --ssh`:
 * plain host patterns (`dom0,10.0.0.5`, wildcards `*` `?`, negation `!`), hashed entries
 * (`|1|<salt>|<hmac-sha1>`, HashKnownHosts), the `[host]:port` form for ports other than 22,
 * and the `@revoked` marker (`@cert-authority` lines are skipped: certificates are not used here).
 *
 * The verdict for an offered key: known (a line for this host has exactly this key), revoked,
 * changed (lines for this host exist, none with this key), or unknown (no line for this host).
 * This module only reads; it never adds a key (OpenSSH's StrictHostKeyChecking=yes).
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SshHostKeyError, sshFingerprint, type HostKeyVerifier, type OfferedHostKey } from "./host-key";

export interface KnownHostLine {
  line: number;
  marker: "revoked" | null;
  /** The host field as written (hashed or patterns). */
  hosts: string;
  type: string;
  blob: Buffer;
}

/** Largest known_hosts read (a big one is a few hundred KiB). */
const MAX_KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;

export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostLine["marker"] = null;
    if (fields[0].startsWith("@")) {
      if (fields[0] === "@revoked") marker = "revoked";
      else return; // @cert-authority and unknown markers
      fields.shift();
    }
    if (fields.length < 3) return;
    const [hosts, type, b64] = fields;
    if (!/^[A-Z0-9+/]+={0,2}$/i.test(b64)) return;
    out.push({ line: i + 1, marker, hosts, type, blob: Buffer.from(b64, "base64") });
  });
  return out;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** OpenSSH's match_pattern: `*` any run, `?` one character. */
function globMatch(name: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(name);
}

/** Does the host field of a line name `name`? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    const mac = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return mac === hash;
  }
  let matched = false;
  for (const p of field.split(",")) {
    if (p.startsWith("!")) {
      if (globMatch(name, p.slice(1))) return false;
    } else if (globMatch(name, p)) {
      matched = true;
    }
  }
  return matched;
}

export type KnownHostsVerdict =
  | { status: "known"; line: number }
  | { status: "revoked"; line: number }
  | { status: "changed"; lines: { line: number; type: string; fingerprint: string }[] }
  | { status: "unknown" };

export function checkKnownHosts(lines: readonly KnownHostLine[], host: string, port: number, key: { blob: Buffer }): KnownHostsVerdict {
  const name = knownHostsName(host, port);
  const mine = lines.filter((l) => hostFieldMatches(l.hosts, name));
  const revoked = mine.find((l) => l.marker === "revoked" && l.blob.equals(key.blob));
  // @revoked applies whatever the host field says (OpenSSH: "@revoked *" is common).
  const revokedAny = revoked ?? lines.find((l) => l.marker === "revoked" && l.blob.equals(key.blob));
  if (revokedAny) return { status: "revoked", line: revokedAny.line };
  const known = mine.find((l) => l.marker === null && l.blob.equals(key.blob));
  if (known) return { status: "known", line: known.line };
  const others = mine.filter((l) => l.marker === null);
  if (others.length) return { status: "changed", lines: others.map((l) => ({ line: l.line, type: l.type, fingerprint: sshFingerprint(l.blob) })) };
  return { status: "unknown" };
}

/** `$HOME/.ssh/known_hosts` (HOME first, as OpenSSH's tilde expansion for the user does). */
export function defaultKnownHostsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.HOME || os.homedir(), ".ssh", "known_hosts");
}

/** Key types listed for this host, so the handshake can prefer them (as OpenSSH does). */
export function knownKeyTypes(lines: readonly KnownHostLine[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [...new Set(lines.filter((l) => l.marker === null && hostFieldMatches(l.hosts, name)).map((l) => l.type))];
}

/** Read a known_hosts file; a missing one has no lines. */
export function readKnownHosts(file: string): KnownHostLine[] {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error(`${file} is not a regular file`);
    if (st.size > MAX_KNOWN_HOSTS_BYTES) throw new Error(`${file} is larger than ${MAX_KNOWN_HOSTS_BYTES} bytes`);
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return parseKnownHosts(text);
}

/** A verifier against known_hosts lines: refuses unknown, changed and revoked keys with a sentence naming the file. */
export function knownHostsVerifier(file: string, lines: readonly KnownHostLine[], host: string, port: number): HostKeyVerifier {
  const where = knownHostsName(host, port);
  return (key: OfferedHostKey) => {
    const v = checkKnownHosts(lines, host, port, key);
    switch (v.status) {
      case "known":
        return null;
      case "revoked":
        return new SshHostKeyError("revoked", where, key, [], `${file}:${v.line}`);
      case "changed":
        return new SshHostKeyError(
          "changed",
          where,
          key,
          v.lines.map((l) => `${l.type} ${l.fingerprint} (${file}:${l.line})`),
        );
      case "unknown":
        return new SshHostKeyError(
          "unknown",
          where,
          key,
          [],
          `no entry in ${file}; after checking the fingerprint, add it with: ssh-keyscan -p ${port} ${host} >> ${file}`,
        );
    }
  };
}

/** Host key algorithms in the order the handshake should offer them: the known types first. */
export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const all = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  const first = knownTypes.flatMap((t) => (t === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : all.includes(t) ? [t] : []));
  return [...new Set([...first, ...all])];
}
