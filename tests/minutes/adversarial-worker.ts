/**
 * Runs minutes-import jobs in a worker thread for tests/minutes/adversarial.test.ts, so a
 * pathological input that holds the thread can be stopped at the test's budget instead of
 * holding the test runner (the stalls of issue 10 took 12–50 s each).
 */
import { parentPort, workerData } from "node:worker_threads";
import { splitItemSuffix } from "@/lib/minutes/actions";
import { stripChrome } from "@/lib/minutes/chrome";
import { plainSnippet } from "@/lib/search/query";
import { decodeInput, isInputError, looksLikeMbox, looksLikeMessage, splitMbox } from "@/lib/minutes/input";
import { leadingOwners, splitOwnerList } from "@/lib/minutes/owners";
import { parseMinutes, toMarkdown } from "@/lib/minutes/parse";
import { parseReview } from "@/lib/minutes/reviews";
import { headingKind, splitDocument } from "@/lib/minutes/sections";
import { normalizeLines, sentences } from "@/lib/minutes/text";

export type Job = { kind: "import"; input: string | Uint8Array; filename?: string } | { kind: "fn"; input: string };

export type JobResult =
  | { kind: "input_error"; code: string; message: string }
  | { kind: "messages"; messages: { kind: string; reason?: string; attendees?: number; items?: number }[] }
  | { kind: "fn" };

/** Every pure step over user text, each on the whole input (as one line and as lines). */
function everyStep(text: string): void {
  stripChrome(text);
  const lines = normalizeLines(text);
  splitDocument(lines);
  toMarkdown(lines);
  looksLikeMbox(text);
  looksLikeMessage(text);
  splitMbox(text);
  sentences(text);
  splitOwnerList(text);
  leadingOwners(text);
  parseReview(text);
  headingKind(text);
  splitItemSuffix(text);
  plainSnippet(text);
}

async function run(job: Job): Promise<JobResult> {
  if (job.kind === "fn") {
    everyStep(typeof job.input === "string" ? job.input : Buffer.from(job.input).toString("utf8"));
    return { kind: "fn" };
  }
  const bytes = typeof job.input === "string" ? job.input : Buffer.from(job.input);
  const decoded = await decodeInput(bytes, job.filename);
  if (isInputError(decoded)) return { kind: "input_error", code: decoded.code, message: decoded.message };
  return {
    kind: "messages",
    messages: decoded.map((m) => {
      const p = parseMinutes(m);
      return p.kind === "minutes" ? { kind: p.kind, attendees: p.attendees.length, items: p.actionItems.length } : { kind: p.kind, reason: p.reason };
    }),
  };
}

const results: JobResult[] = [];
for (const job of (workerData as { jobs: Job[] }).jobs) results.push(await run(job));
parentPort?.postMessage(results);
