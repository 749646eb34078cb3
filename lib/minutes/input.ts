/**
 * Turn uploaded bytes (pasted text, an archive .txt, an .eml, an mbox) into
 * plain-text messages. MIME is decoded by mailparser only; this module decides
 * WHAT the input is and refuses what cannot be minutes before any parsing work.
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { formatMegabytes as mb, MAX_UPLOAD_BYTES } from "@/lib/limits";
import type { DecodedMessage, InputError, InputErrorCode, InputSource } from "./types";

/** Larger than any mbox of minutes the group produced in years; beyond it we refuse without parsing. */
export const MAX_INPUT_BYTES = MAX_UPLOAD_BYTES;
/** Share of undecodable/control characters above which we call the input binary. */
const BINARY_RATIO = 0.05;

export function inputError(code: InputErrorCode, message: string): InputError {
  return { kind: "input_error", code, message };
}

export function isInputError(x: unknown): x is InputError {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "input_error";
}

/** NULs, or too many bytes that are not UTF-8 / are control characters → not a text upload. */
function binaryReason(buf: Buffer): string | null {
  if (buf.includes(0)) return "it contains NUL bytes";
  const text = new TextDecoder("utf-8", { fatal: false }).decode(buf);
  let bad = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    const c = ch.codePointAt(0) as number;
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) bad++;
  }
  // 8-bit legacy mail (latin-1 declared in Content-Type) yields a few U+FFFD here, hence a ratio.
  if (total > 0 && bad / total > BINARY_RATIO) {
    return `${Math.round((100 * bad) / total)}% of it is not valid UTF-8 text`;
  }
  return null;
}

const KNOWN_HEADERS =
  /^(?:from|to|cc|subject|date|message-id|received|return-path|delivered-to|mime-version|content-type|content-transfer-encoding|in-reply-to|references|list-id|reply-to|sender|x-[a-z0-9-]+)$/i;

/**
 * Does the text start with an RFC 822 header block? A header-looking first line
 * alone is not enough ("Attendees: ..." is one), so at least one well-known mail
 * header must be present and every line up to the blank line must be a field or a
 * folded continuation.
 */
export function looksLikeMessage(text: string): boolean {
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
  let known = 0;
  let i = 0;
  for (; i < lines.length && lines[i] !== ""; i++) {
    const l = lines[i];
    if (/^[ \t]/.test(l)) {
      if (i === 0) return false;
      continue;
    }
    // RFC 5322 field name: printable ASCII except the colon.
    const m = /^([\x21-\x39\x3b-\x7e]+):/.exec(l);
    if (!m) return false;
    if (KNOWN_HEADERS.test(m[1])) known++;
  }
  return i > 0 && known > 0;
}

/**
 * An mbox "From " separator: `From <sender> <asctime date>`; requiring a time avoids prose lines.
 * One `\s` after the sender, not `\s+.*`: the two would share a run of spaces (quadratic; issue 10).
 */
const MBOX_SEPARATOR = /^From \S+\s.*\d:\d\d/;

export function looksLikeMbox(text: string): boolean {
  const first = text.replace(/^\ufeff/, "").split(/\r?\n/, 1)[0] ?? "";
  return MBOX_SEPARATOR.test(first);
}

/**
 * Split an mbox into raw messages. A separator counts only at the start of the
 * file or after a blank line (mboxo/mboxrd writers put one there), so an
 * unescaped "From " inside a body rarely splits it. Then un-escape the quoted
 * `>From ` lines: mboxrd removes one `>` from `>+From `, which is also the right
 * inverse for mboxo's single level.
 */
export function splitMbox(text: string): string[] {
  const lines = text
    .replace(/^\ufeff/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  const messages: string[][] = [];
  let cur: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (MBOX_SEPARATOR.test(l) && (i === 0 || lines[i - 1] === "")) {
      if (cur) messages.push(cur);
      cur = [];
      continue;
    }
    if (cur) cur.push(l.replace(/^>(>*From )/, "$1"));
  }
  if (cur) messages.push(cur);
  return messages.map((m) => {
    // The blank line before the next separator belongs to the mbox, not the message.
    if (m.length && m[m.length - 1] === "") m.pop();
    return m.join("\n");
  });
}

function addressText(mail: ParsedMail): string | null {
  const a = mail.from?.value?.[0];
  if (!a) return mail.from?.text ?? null;
  if (a.name && a.address) return `${a.name} <${a.address}>`;
  return a.address || a.name || null;
}

async function decodeMail(raw: Buffer, index: number, source: InputSource): Promise<DecodedMessage> {
  const base = { index, source, messageId: null, subject: null, date: null, from: null, text: "" };
  const asText = raw.toString("latin1");
  if (!looksLikeMessage(asText)) {
    return {
      ...base,
      error: inputError("malformed", `Message ${index + 1}: no mail header block at its start (corrupt entry?).`),
    };
  }
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      skipHtmlToText: false,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
  } catch (e) {
    return {
      ...base,
      error: inputError("malformed", `Message ${index + 1}: could not be parsed as mail (${(e as Error).message}).`),
    };
  }
  const decoded: DecodedMessage = {
    ...base,
    messageId: mail.messageId ?? null,
    subject: mail.subject ?? null,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    from: addressText(mail),
    text: (mail.text ?? "").replace(/\r\n?/g, "\n"),
  };
  if (!decoded.text.trim()) {
    decoded.error = inputError("malformed", `Message ${index + 1}: has no text body.`);
  }
  return decoded;
}

/**
 * Decode an upload. Returns one entry per message (a bad mbox entry becomes an
 * entry with `error`), or an InputError when the whole input is unusable.
 * Whether a message is minutes is decided later, by `parseMinutes`.
 */
export async function decodeInput(bytes: Buffer | string, filename?: string): Promise<DecodedMessage[] | InputError> {
  // Size first, before copying or decoding anything: a string has at least as many bytes as chars.
  const size = typeof bytes === "string" ? (bytes.length > MAX_INPUT_BYTES ? bytes.length : Buffer.byteLength(bytes)) : bytes.length;
  if (size > MAX_INPUT_BYTES) {
    return inputError("too_large", `The file is ${mb(size)}; the limit is ${mb(MAX_INPUT_BYTES)}. Split the mbox or upload single messages.`);
  }
  const buf = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  const head = buf.subarray(0, 3);
  const body = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? buf.subarray(3) : buf;
  if (body.toString("utf8").trim() === "") {
    return inputError("empty", "The input is empty: paste the minutes or choose a .txt, .eml or mbox file.");
  }
  const why = binaryReason(body);
  if (why) {
    return inputError("binary", `This does not look like text (${why}). Upload the minutes as text, an .eml or an mbox file.`);
  }
  // Content decides; the file name only breaks ties (a .txt that is really an .eml is read as mail).
  const sniff = body.subarray(0, 64 * 1024).toString("latin1");
  const ext = (filename ?? "").toLowerCase().split(".").pop() ?? "";
  if (looksLikeMbox(sniff) || (ext === "mbox" && sniff.startsWith("From "))) {
    const raws = splitMbox(body.toString("latin1"));
    const out: DecodedMessage[] = [];
    // Sequential on purpose: mailparser is CPU-bound and the machine is small.
    for (let i = 0; i < raws.length; i++) out.push(await decodeMail(Buffer.from(raws[i], "latin1"), i, "mbox"));
    return out;
  }
  if (looksLikeMessage(sniff)) {
    const m = await decodeMail(body, 0, "eml");
    if (m.error) return m.error;
    return [m];
  }
  const text = body.toString("utf8").replace(/\r\n?/g, "\n");
  return [{ index: 0, source: "text", messageId: null, subject: null, date: null, from: null, text }];
}
