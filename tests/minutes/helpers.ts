import { readFileSync } from "node:fs";
import path from "node:path";
import { decodeInput, isInputError } from "@/lib/minutes/input";
import { parseMinutes } from "@/lib/minutes/parse";
import type { DecodedMessage, ParsedMinutes } from "@/lib/minutes/types";

export { REAL_POST } from "../fixtures/minutes/real-post";
export const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/minutes");

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

export async function decodeAll(bytes: Buffer | string, filename?: string): Promise<DecodedMessage[]> {
  const d = await decodeInput(bytes, filename);
  if (isInputError(d)) throw new Error(`unexpected input error: ${d.message}`);
  return d;
}

/** Decode a single-message input and parse it, failing loudly if it is not minutes. */
export async function parseOne(bytes: Buffer | string, filename?: string): Promise<ParsedMinutes> {
  const [msg] = await decodeAll(bytes, filename);
  const p = parseMinutes(msg);
  if (p.kind !== "minutes") throw new Error(`not minutes: ${p.reason}`);
  return p;
}
