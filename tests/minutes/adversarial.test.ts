/**
 * Adversarial input for the minutes importer (issue 10): no input may hold the parser.
 * Before the fix a 133-byte paste took ~50 s (exponential archive-chrome pattern) and a
 * 40 KB mbox line ~12 s (quadratic patterns). Each batch runs in a worker thread that is
 * stopped at a budget far above what linear code needs on a loaded machine and far below
 * what any super-linear pattern takes on these inputs; the test then fails by name
 * instead of hanging the runner.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES } from "@/lib/minutes/input";
import { MAX_LINE_CHARS, MAX_MESSAGE_CHARS } from "@/lib/minutes/parse";
import type { Job, JobResult } from "./adversarial-worker";
import { REAL_POST } from "./helpers";

/** Generous: linear code does each batch in well under a second here. */
const BUDGET_MS = 20_000;

function runJobs(jobs: Job[], budgetMs = BUDGET_MS): Promise<JobResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./adversarial-worker.mjs", import.meta.url), {
      workerData: { jobs },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the parser was still busy after ${budgetMs / 1000} s: a pattern or loop is super-linear`));
    }, budgetMs);
    worker.once("message", (r: JobResult[]) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    });
    worker.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const sp = (n: number) => " ".repeat(n);
/** Long enough that a quadratic pattern needs minutes, short enough that linear code needs milliseconds. */
const N = 200_000;

/** Strings each step of the parser sees whole (no line-length limit applies at that level). */
const PATHOLOGICAL: Record<string, string> = {
  "issue 10's archive-chrome paste": "[a]" + "  [a]".repeat(17) + "  x",
  "issue 10's mbox separator line": "From a" + sp(40_000) + "x",
  "spaces then a letter": sp(N) + "x",
  "tabs between words": "a" + "\t".repeat(N) + "b",
  "non-breaking spaces": "\u00a0".repeat(N) + "x",
  "zero-width characters": "\u200b".repeat(N) + "x",
  "open parentheses": "(".repeat(N),
  "nested parentheses": "(".repeat(N / 2) + ")".repeat(N / 2) + " x",
  "open brackets": "[".repeat(N) + "x",
  "bracketed words and spaces": "[ab] ".repeat(N / 5) + "| x",
  "angle brackets": "<".repeat(N),
  dots: ".".repeat(N) + "x",
  commas: ",".repeat(N) + "x",
  dashes: "-".repeat(N) + "x",
  "spaced dashes": " - ".repeat(N / 3) + "x",
  hashes: "#".repeat(N) + "x",
  "ATX heading of spaces": "#" + sp(N) + "#x",
  "blank lines": "\n".repeat(N) + "x",
  CRs: "\r".repeat(N) + "x",
  "name then spaces": "Paul" + sp(N) + "x",
  "names and commas": "Paul" + " ,".repeat(N / 2) + "x",
  "names and ands": "Paul and ".repeat(N / 9) + "x",
  "capitalised words": "Paul Durrant ".repeat(N / 13) + "to",
  "owners then colon": "Paul" + sp(N) + ":" + sp(N) + "x",
  "attendees heading and spaces": "Attendees" + sp(N) + "(3)" + sp(N) + "x",
  "meeting and spaces": "meeting" + sp(N) + "minutes" + sp(N) + "x",
  "repeated meeting words": "meeting minutes of ".repeat(N / 19) + "x",
  "status word and spaces": "DONE" + sp(N) + "x",
  "status in brackets": "[Done" + sp(N) + "x",
  "open parenthesis at the end": "x (" + "a ".repeat(N / 2),
  "many parentheticals": "x" + " (a)".repeat(N / 4) + " y",
  "header echo and spaces": "Subject:" + sp(N) + "\u2028x",
  "reply prefixes": "Re: ".repeat(N / 4) + "[x]" + sp(N),
  "list tag and spaces": "[Xen-devel]" + sp(N) + "\u2028",
  "hosting words": "is hosted by ".repeat(N / 13) + "x",
  "footer rules": "____________\n".repeat(N / 13),
  "many header echoes": "Subject: x\n".repeat(N / 11),
  "many navigation lines": "[Date Prev][Date Next]\n".repeat(N / 23),
  "quote markers": "> ".repeat(N) + "x",
  "bullet markers": "* ".repeat(N) + "x",
  "indented bullets": Array.from({ length: 2_000 }, (_, i) => `${sp(i)}* x`).join("\n"),
  "From lines": "From \n".repeat(N / 6),
  ">From lines": ">".repeat(N) + "From x",
  "colon-free header": "X" + "-".repeat(N) + "x",
  // Issue 13: "<point>: done", "Igor's …", " Target: …." and " Links: …" suffixes.
  "colons before a status": "Paul to x" + ": a".repeat(N / 3) + ": done",
  possessives: "Igor's ".repeat(N / 7) + "x",
  "target suffixes": "* Paul to x" + " Target: a".repeat(N / 10) + ".",
  "links suffixes": "* Paul to x" + " Links: https://a".repeat(N / 17),
};

function expectHandled(r: JobResult): void {
  if (r.kind === "messages") for (const m of r.messages) expect(["minutes", "not_minutes"]).toContain(m.kind);
  else expect(["input_error", "fn"]).toContain(r.kind);
}

describe("minutes parser: adversarial input within a time budget", () => {
  it("every parsing step is linear on pathological strings", async () => {
    const names = Object.keys(PATHOLOGICAL);
    const out = await runJobs(names.map((n) => ({ kind: "fn", input: PATHOLOGICAL[n] })));
    expect(out).toHaveLength(names.length);
  });

  it("the whole import (decode, strip, parse) handles each of them as a paste, an .eml and an mbox entry", async () => {
    const jobs: Job[] = [];
    for (const s of Object.values(PATHOLOGICAL)) {
      jobs.push({ kind: "import", input: s });
      jobs.push({ kind: "import", input: `From: a@example.org\nSubject: ${s.slice(0, 5_000)}\n\n${s}\n`, filename: "x.eml" });
      jobs.push({ kind: "import", input: `From a@example.org Wed May 10 16:12:03 2017\nFrom: a@example.org\nSubject: x\n\n${s}\n` });
    }
    const out = await runJobs(jobs);
    out.forEach(expectHandled);
  });

  it("a 10 MB mbox of real minutes", async () => {
    const post = readFileSync(REAL_POST, "utf8");
    const entry = (i: number) =>
      `From jenny@example.com Wed May 10 16:12:03 2017\nFrom: Jenny <jenny@example.com>\nSubject: [Xen-devel] QEMU XenServer/XenProject Working group meeting 10th May 2017\nMessage-ID: <m${i}@example.com>\n\n${post.replace(/^From /gm, ">From ").trimEnd()}\n\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size + Buffer.byteLength(entry(i)) <= MAX_INPUT_BYTES; i++) {
      parts.push(entry(i));
      size += Buffer.byteLength(entry(i));
    }
    const mbox = parts.join("");
    expect(Buffer.byteLength(mbox)).toBeGreaterThan(MAX_INPUT_BYTES - 16 * 1024);
    const [r] = await runJobs([{ kind: "import", input: mbox, filename: "big.mbox" }], 60_000);
    expect(r.kind).toBe("messages");
    if (r.kind !== "messages") return;
    expect(r.messages).toHaveLength(parts.length);
    expect(r.messages.every((m) => m.kind === "minutes" && m.attendees === 7)).toBe(true);
  }, 90_000);

  it("a 10 MB message is refused by its size; 1 MB pastes of many names, items and sentences are read", async () => {
    const body = (line: string, bytes: number) => Array.from({ length: Math.floor(bytes / (line.length + 1)) }, () => line).join("\n");
    const minutes = (rest: string) => `Team meeting\n============\n\nAttendees: Paul, Ian\n\n${rest}\n`;
    const big = MAX_INPUT_BYTES - 1_000;
    const near = MAX_MESSAGE_CHARS - 1_000;
    const jobs: Job[] = [
      {
        kind: "import",
        input: `From a Wed May 10 16:12:03 2017\nFrom: a@example.org\nSubject: x meeting\n\n${body("[a]  [a]  [a] |  x  (y  -  Paul  to", big)}\n`,
        filename: "one.mbox",
      },
      { kind: "import", input: minutes(body("Paul to look at the physmap keys again. Ian to review it.", big)) },
      {
        kind: "import",
        input: `Team meeting\n============\n\nAttendees:\n${body("* Paul Durrant, Ian Jackson and Andrew Cooper", near)}\n\nAction Items\n* Paul to fix it\n`,
      },
      { kind: "import", input: `Team meeting\n============\n\nAttendees:\n${Array.from({ length: 40_000 }, (_, i) => `* Person${i} Surname`).join("\n")}\n` },
      { kind: "import", input: minutes(`Action Items\n${body("* Paul to fix the thing - done (agreed)", near)}`) },
      { kind: "import", input: minutes(body("Paul to look at the physmap keys again. Ian to review it.", near)) },
      { kind: "import", input: minutes(`Reviewed previous action points\n${body("Paul Durrant - no progress", near)}`) },
      { kind: "import", input: body("Subject: [Xen-devel] x", near) },
      { kind: "import", input: body("[Date Prev][Date Next][Thread Prev][Thread Next]", near) },
    ];
    const out = await runJobs(jobs, 60_000);
    out.forEach(expectHandled);
    expect(out[0]).toMatchObject({ kind: "messages", messages: [{ kind: "not_minutes", reason: expect.stringMatching(/minutes are at most 1,000,000/) }] });
    expect(out[1]).toMatchObject({ kind: "messages", messages: [{ kind: "not_minutes", reason: expect.stringMatching(/minutes are at most 1,000,000/) }] });
    // The same three people on every line are three attendees.
    expect(out[2]).toMatchObject({ kind: "messages", messages: [{ kind: "minutes", attendees: 3, items: 1 }] });
    expect(out[3]).toMatchObject({ kind: "messages", messages: [{ kind: "not_minutes", reason: expect.stringMatching(/40,000 attendees \(at most 500\)/) }] });
    for (const r of out.slice(4, 7))
      expect(r).toMatchObject({
        kind: "messages",
        messages: [{ kind: "not_minutes", reason: expect.stringMatching(/action items and reviewed points \(at most 2,000\)/) }],
      });
  }, 90_000);

  it("invalid encodings are refused or read, never thrown on", async () => {
    const minutes = `Team meeting 10th May 2017\n\nAttendees: Paul, Ian\n\n${"We talked about the physmap keys at some length.\n".repeat(10)}\nAction Items\n* Paul to fix it\n`;
    const random = Buffer.from(fc.sample(fc.integer({ min: 0, max: 255 }), { numRuns: 100_000, seed: 42 }));
    const eml = (headers: string, body: string) => `From: a@example.org\nSubject: Team meeting 10th May 2017\n${headers}\n\n${body}`;
    const jobs: Job[] = [
      { kind: "import", input: random },
      { kind: "import", input: random, filename: "x.mbox" },
      // Invalid UTF-8 sequences (lone continuation bytes, truncated and overlong forms) in otherwise good minutes.
      {
        kind: "import",
        input: Buffer.concat([Buffer.from(minutes), Buffer.from([0x80, 0xc3, 0x28, 0xe2, 0x82, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from("\n")]),
      },
      { kind: "import", input: `${minutes}\ud800 lone surrogate \udfff\n` },
      { kind: "import", input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(minutes, "utf16le")]) },
      { kind: "import", input: Buffer.from(minutes, "latin1") },
      { kind: "import", input: minutes.replace(/\n/g, "\r") },
      { kind: "import", input: eml("Content-Type: text/plain; charset=x-no-such-charset", minutes), filename: "a.eml" },
      { kind: "import", input: eml("Content-Transfer-Encoding: base64", `!!!!${"@".repeat(10_000)}====\n`), filename: "a.eml" },
      { kind: "import", input: eml("Content-Transfer-Encoding: quoted-printable", `${minutes}=ZZ=\n=E2=82=\n${"=".repeat(50_000)}\n`), filename: "a.eml" },
      { kind: "import", input: eml('Content-Type: multipart/mixed; boundary="b"', `--b\n--b\n${"--b\n".repeat(20_000)}`), filename: "a.eml" },
      { kind: "import", input: eml(`Subject: =?utf-8?B?${"!".repeat(20_000)}?=`, minutes), filename: "a.eml" },
    ];
    const out = await runJobs(jobs);
    out.forEach(expectHandled);
    expect(out[0]).toMatchObject({ kind: "input_error", code: "binary" });
    expect(out[2]).toMatchObject({ kind: "messages", messages: [{ kind: "minutes", attendees: 2, items: 1 }] });
    expect(out[3]).toMatchObject({ kind: "messages", messages: [{ kind: "minutes" }] });
    expect(out[4]).toMatchObject({ kind: "input_error", code: "binary" });
    expect(out[7]).toMatchObject({ kind: "messages", messages: [{ kind: "minutes" }] });
  });

  it("random text over the characters patterns care about (property, seeded)", async () => {
    const alphabet = fc.constantFrom(
      " ",
      " ",
      "  ",
      "\t",
      "\n",
      "\n\n",
      "[",
      "]",
      "(",
      ")",
      "<",
      ">",
      "-",
      "–",
      ":",
      ",",
      ".",
      "#",
      "*",
      "|",
      "=",
      "_",
      "a",
      "Paul",
      "and",
      "to",
      "Done",
      "From ",
      "Subject:",
      "meeting",
      "Attendees",
      "\u00a0",
    );
    const texts = fc.sample(
      fc.array(alphabet, { minLength: 1, maxLength: 4_000 }).map((a) => a.join("")),
      { numRuns: 150, seed: 10 },
    );
    const out = await runJobs([...texts.map((t): Job => ({ kind: "fn", input: t })), ...texts.map((t): Job => ({ kind: "import", input: t }))]);
    out.forEach(expectHandled);
  });
});

describe("minutes parser: line length", () => {
  it("refuses minutes with a line longer than the limit, saying which line and the limit", async () => {
    const text = `Team meeting 10th May 2017\n\nAttendees: Paul, Ian\n\n${"word ".repeat(MAX_LINE_CHARS / 5 + 1)}\n\nAction Items\n* Paul to fix it\n`;
    const [r] = await runJobs([{ kind: "import", input: text }]);
    expect(r).toMatchObject({ kind: "messages", messages: [{ kind: "not_minutes" }] });
    if (r.kind === "messages") expect(r.messages[0].reason).toMatch(new RegExp(`Line 5 .*${MAX_LINE_CHARS.toLocaleString("en")}`));
  });

  it("keeps a long paragraph under the limit (pasted, not hard-wrapped)", async () => {
    const text = `Team meeting 10th May 2017\n\nAttendees: Paul, Ian\n\n${"word ".repeat(MAX_LINE_CHARS / 5 - 10)}\n\nAction Items\n* Paul to fix it\n`;
    const [r] = await runJobs([{ kind: "import", input: text }]);
    expect(r).toMatchObject({ kind: "messages", messages: [{ kind: "minutes", items: 1 }] });
  });
});
