import fs from "node:fs";
import path from "node:path";
import { E2E_DATA_DIR } from "../playwright.config";

/**
 * The end of the whole suite (issue 10): the embedded simulator counts write-type requests per
 * socket (scripts/sim.ts --stats-file). The tests write through its writers' socket; the
 * readers' socket is dmboard's alone, and must have received no write at all.
 */
export default async function globalTeardown() {
  const file = path.join(E2E_DATA_DIR, "sim", "stats.json");
  if (!fs.existsSync(file)) return; // no embedded simulator in this run
  await new Promise((r) => setTimeout(r, 1200)); // the file is rewritten within 0.5 s of a change
  const stats = JSON.parse(fs.readFileSync(file, "utf8")) as { readerWrites: number; writerWrites: number; hosts: { name: string; readerWrites: number }[] };
  if (stats.readerWrites !== 0) {
    const hosts = stats.hosts.filter((h) => h.readerWrites > 0).map((h) => `${h.name}: ${h.readerWrites}`);
    throw new Error(`dmboard sent ${stats.readerWrites} XenStore write(s) on the readers' socket (${hosts.join(", ")}): a reader must never write`);
  }
  console.log(`XenStore: 0 writes from dmboard's readers; ${stats.writerWrites} by the tests through the writers' socket`);
}
