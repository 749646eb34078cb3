/**
 * Byte-level behaviour of QEMU's QMP monitor that the simulator copies:
 * its JSON output style and its streaming input parser.
 */

/** Serialize like QEMU's qobject_to_json: `{"a": 1, "b": [1, 2]}`, ASCII only. */
export function qemuJson(value: unknown): string {
  if (Array.isArray(value)) return "[" + value.map(qemuJson).join(", ") + "]";
  if (value !== null && typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(asciiString(k) + ": " + qemuJson(v));
    return "{" + parts.join(", ") + "}";
  }
  if (typeof value === "string") return asciiString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  return "null";
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;

function asciiString(s: string): string {
  const json = JSON.stringify(s);
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")) : json;
}

const frozenJson = new WeakMap<object, string>();

/**
 * qemuJson, kept for frozen values: replies shared by many guests and asked on every read
 * (the ~200-name query-commands list) are serialized once, not once per conversation.
 */
export function qemuJsonShared(value: unknown): string {
  if (value === null || typeof value !== "object" || !Object.isFrozen(value)) return qemuJson(value);
  let text = frozenJson.get(value);
  if (text === undefined) {
    text = qemuJson(value);
    frozenJson.set(value, text);
  }
  return text;
}

/** What the scanner found: a complete top-level value's text, or a lexical error. */
export type ScanItem = { kind: "value"; text: string } | { kind: "error"; desc: string };

const MAX_INPUT = 1024 * 1024;

/**
 * Splits the client's byte stream into top-level JSON values the way QEMU's
 * json-streamer does: no delimiter needed between objects, whitespace ignored,
 * and an ASCII control character (other than TAB/CR/LF) resets the parser —
 * the recovery mechanism in qmp-spec.rst.
 */
export class QmpInputScanner {
  private buf = "";
  private pos = 0;
  private start = -1;
  private depth = 0;
  private inString = false;
  private escape = false;

  push(text: string): ScanItem[] {
    const out: ScanItem[] = [];
    this.buf += text;
    for (; this.pos < this.buf.length; this.pos++) {
      const c = this.buf.charCodeAt(this.pos);
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
        this.resetAt(this.pos + 1);
        continue;
      }
      if (this.start < 0) {
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
        this.start = this.pos;
        if (c === 0x7b || c === 0x5b) this.depth = 1;
        else this.depth = 0; // a bare token (keyword, number, garbage)
        continue;
      }
      if (this.depth === 0) {
        this.tokenEnds(out);
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--this.depth === 0) {
          out.push({ kind: "value", text: this.buf.slice(this.start, this.pos + 1) });
          this.resetAt(this.pos + 1);
        }
      }
    }
    if (this.buf.length - (this.start < 0 ? this.pos : this.start) > MAX_INPUT) {
      out.push({ kind: "error", desc: "JSON parse error, token too large" });
      this.resetAt(this.buf.length);
      this.pos = this.buf.length;
    }
    // Drop consumed text so the buffer holds at most the current value.
    const keep = this.start < 0 ? this.pos : this.start;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.pos -= keep;
      if (this.start >= 0) this.start -= keep;
    }
    return out;
  }

  /** At depth 0 inside a bare token: it ends at whitespace or a bracket. Returns true if it ended. */
  private tokenEnds(out: ScanItem[]): boolean {
    const c = this.buf.charCodeAt(this.pos);
    const ends = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x7b || c === 0x5b;
    if (!ends) return false;
    const token = this.buf.slice(this.start, this.pos);
    out.push(bareToken(token));
    // Re-examine the terminator: whitespace is skipped, a bracket starts the next value.
    this.resetAt(this.pos);
    return true;
  }

  private resetAt(next: number): void {
    this.start = -1;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    // Caller's loop increments pos; keep it pointing just before `next`.
    this.pos = next - 1;
  }
}

function bareToken(token: string): ScanItem {
  try {
    JSON.parse(token);
    return { kind: "value", text: token };
  } catch {
    return { kind: "error", desc: `JSON parse error, invalid keyword '${token}'` };
  }
}
