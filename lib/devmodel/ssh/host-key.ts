/**
 * Host keys: what a server offered (its SHA256 fingerprint, as `ssh-keygen -l` prints it) and
 * the refusals — an unknown key (carrying the offered fingerprint, so "Test connection" can show
 * it for an admin to accept) and a changed one (refused until an admin accepts the new key).
 */
import { createHash } from "node:crypto";

export interface OfferedHostKey {
  /** Key type from the blob: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, … */
  type: string;
  /** `SHA256:<base64 without padding>` of the public key blob. */
  fingerprint: string;
  /** The public key blob (SSH wire format). Public: safe to compare, never secret. */
  blob: Buffer;
}

const FINGERPRINT_RE = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** `SHA256:…` of a public key blob, like OpenSSH prints it. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256")
    .update(blob)
    .digest("base64")
    .replace(/={1,2}$/, "")}`;
}

export function isSshFingerprint(s: string): boolean {
  return FINGERPRINT_RE.test(s);
}

/** The type string at the start of a key blob (uint32 length + name). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const n = blob.readUInt32BE(0);
  if (n === 0 || n > 64 || 4 + n > blob.length) return "unknown";
  return blob.toString("latin1", 4, 4 + n).replace(/[^\x21-\x7e]/g, "?");
}

export function offeredHostKey(blob: Buffer): OfferedHostKey {
  return { type: keyTypeOf(blob), fingerprint: sshFingerprint(blob), blob: Buffer.from(blob) };
}

export type HostKeyProblem = "unknown" | "changed" | "revoked";

/** The server's key is not the one trusted (code EHOSTKEY). */
export class SshHostKeyError extends Error {
  override readonly name = "SshHostKeyError";
  readonly code = "EHOSTKEY";
  constructor(
    readonly problem: HostKeyProblem,
    /** Where (user@host:port or host:port). */
    readonly where: string,
    readonly offered: { type: string; fingerprint: string },
    /** What was trusted instead (changed): fingerprints, or a line like "known_hosts:3". */
    readonly expected: string[] = [],
    detail?: string,
  ) {
    super(
      problem === "unknown"
        ? `host key of ${where} is not known yet: it offers ${offered.type} ${offered.fingerprint}; verify it and accept it to connect${detail ? ` (${detail})` : ""}`
        : problem === "revoked"
          ? `host key of ${where} (${offered.type} ${offered.fingerprint}) is revoked${detail ? ` (${detail})` : ""}; refusing to connect`
          : `HOST KEY OF ${where} HAS CHANGED: it now offers ${offered.type} ${offered.fingerprint}, but ${expected.join(", ") || "another key"} is trusted${detail ? ` (${detail})` : ""}. Refusing to connect: either the host was reinstalled or someone is in the middle; accept the new key only once you know which`,
    );
  }
}

/** Decides about an offered key: null to trust it, an error to refuse. */
export type HostKeyVerifier = (key: OfferedHostKey) => SshHostKeyError | null;

/**
 * The app's pinning: one SHA256 fingerprint per host. None pinned yet → unknown (the error
 * carries the offered fingerprint); another one pinned → changed.
 */
export function pinnedHostKey(where: string, pinned: string | null | undefined): HostKeyVerifier {
  return (key) => {
    if (!pinned) return new SshHostKeyError("unknown", where, key);
    if (key.fingerprint === pinned) return null;
    return new SshHostKeyError("changed", where, key, [pinned]);
  };
}
