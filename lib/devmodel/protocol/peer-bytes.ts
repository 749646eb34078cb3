/**
 * What to say about bytes a peer sent that are not its protocol. An admin may point a host at
 * the wrong socket (another local service, an SSH port, a web server); whatever it sends must not
 * end up in error messages that every viewer reads — it may be anything, secrets included. The
 * message gets a summary (how many bytes, what they look like); the bytes themselves go to the
 * server log (peer-log.ts), for the admin who has to find out what is on the other end.
 */
/** Printed to the log at most this many bytes of one sample. */
const LOG_BYTES = 512;

/**
 * "41 bytes that look like an SSH banner", "3 bytes of binary data". No byte of the input is
 * quoted. `sampleOf`: `bytes` is only the start of that many (or, with true, of more) bytes.
 */
export function describePeerBytes(bytes: Uint8Array, sampleOf?: number | true): string {
  const n = sampleOf === true ? bytes.length : (sampleOf ?? bytes.length);
  const count = `${sampleOf === true ? "more than " : ""}${n} byte${n === 1 ? "" : "s"}`;
  if (n === 0) return "nothing";
  const kind = recognise(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(n, 64)));
  return kind ? `${count} that look like ${kind}` : `${count} of ${isText(bytes) ? "text" : "binary data"}`;
}

function recognise(head: Buffer): string | null {
  const s = head.toString("latin1");
  if (s.startsWith("SSH-")) return "an SSH banner";
  if (/^HTTP\/\d/.test(s)) return "an HTTP response";
  if (/^(?:GET|POST|HEAD|PUT) \//.test(s)) return "an HTTP request";
  if (/^220[ -]/.test(s)) return "an SMTP or FTP greeting";
  if (s.startsWith("+OK") || s.startsWith("* OK")) return "a mail server greeting";
  if (s.startsWith('{"QMP"')) return "a QMP greeting";
  if (s.startsWith("\x16\x03")) return "a TLS handshake";
  if (s.startsWith("{") || s.startsWith("[")) return "JSON";
  return null;
}

function isText(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 256);
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/** The bytes as printable ASCII: `\xNN` for everything else, so a log line stays one line. */
export function escapePeerBytes(bytes: Uint8Array, max = LOG_BYTES): string {
  let out = "";
  const end = Math.min(bytes.length, max);
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > max ? `${out}…` : out;
}

/**
 * Attach the offending bytes to an error without putting them in its message (or in its JSON:
 * the property is not enumerable), so whoever catches it can log them.
 */
export function withPeerBytes<E extends Error>(error: E, bytes: Uint8Array): E & { peerBytes: Buffer } {
  Object.defineProperty(error, "peerBytes", { value: Buffer.from(bytes), enumerable: false, configurable: true });
  return error as E & { peerBytes: Buffer };
}

export function peerBytesOf(error: unknown): Buffer | null {
  const b = (error as { peerBytes?: unknown } | null)?.peerBytes;
  return Buffer.isBuffer(b) ? b : null;
}
