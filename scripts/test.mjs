#!/usr/bin/env node
// `npm test`: everything, in the order that fails fastest.
//   1. prerequisites (PostgreSQL, Chromium, QEMU, XenStore tools, promtool, an SMTP server, sshd): say what is missing and fail
//   2. schema drift check (both providers' migrations vs prisma/schema.prisma)
//   3. type check, lint (ESLint) and format (Prettier --check)
//   4. pure unit tests (vitest project "unit": no socket, no process, seconds)
//   5. real-peer tests (vitest project "peers": simulator, QEMU, XenStore tools, sshd, CLIs)
//   6. database tests, twice: SQLite, then PostgreSQL (vitest project "db")
//   7. build, then end-to-end tests in Chromium (Playwright)
// Ends with one line "tests: N passed, N failed".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const out = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-test-"));
const only = process.argv.slice(2); // e.g. `npm test -- unit db` to run some stages
const want = (stage) => only.length === 0 || only.includes(stage);
let passed = 0;
let failed = 0;
const failures = [];
const failedTests = []; // names, repeated at the end: a CI log shows its tail

function stage(name, fn) {
  const t0 = Date.now();
  console.log(`\n━━ ${name}`);
  try {
    fn();
    console.log(`━━ ${name}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (err) {
    failures.push(name);
    console.log(`━━ ${name}: FAILED (${err.message.split("\n")[0]})`);
  }
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} exited ${r.status ?? r.signal}`);
}

function countVitest(file, label) {
  if (!fs.existsSync(file)) return;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0);
  for (const result of r.testResults ?? []) {
    const rel = path.relative(root, result.name);
    const tests = result.assertionResults ?? [];
    for (const t of tests) if (t.status === "failed") failedTests.push(`${label}: ${rel} › ${t.fullName}`);
    // A file that failed before any test ran (an import error, a hook) has no failed test to name.
    if (result.status === "failed" && !tests.some((t) => t.status === "failed")) {
      failed++;
      failedTests.push(`${label}: ${rel} (${(result.message || "failed").split("\n")[0]})`);
    }
  }
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.stats.expected;
  failed += r.stats.unexpected + r.stats.flaky;
  // Top-level suites are files; below them, describe blocks give the titles.
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "unexpected" || t.status === "flaky")
          failedTests.push(`e2e (${t.status}): ${spec.file}:${spec.line} › ${[...titles, spec.title].join(" › ")}`);
    for (const s of suite.suites ?? []) walk(s, [...titles, s.title]);
  };
  for (const s of r.suites ?? []) walk(s, []);
}

async function portOpen(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function prerequisites() {
  const missing = [];
  if (!(await portOpen("127.0.0.1", 5432))) missing.push("PostgreSQL on 127.0.0.1:5432 (the database tests run on it; start it, or run .ci/run)");
  const needs = [
    ["/usr/bin/chromium", "chromium"],
    ["/usr/bin/qemu-system-x86_64", "qemu-system-x86"],
    ["/usr/libexec/xen-qemu-system-i386", "qemu-system-xen"],
    ["/usr/bin/xenstore-ls", "xenstore-utils"],
    ["/usr/lib/python3/dist-packages/pyxs/__init__.py", "python3-pyxs"],
    ["/usr/bin/promtool", "prometheus"],
    ["/usr/lib/python3/dist-packages/aiosmtpd/__init__.py", "python3-aiosmtpd"],
    ["/usr/sbin/sshd", "openssh-server"],
  ];
  for (const [file, pkg] of needs) {
    if (!fs.existsSync(file)) missing.push(`${file} (Debian package ${pkg}; .ci/run installs it)`);
  }
  if (missing.length) {
    console.error("npm test needs:\n  " + missing.join("\n  "));
    console.log("tests: 0 passed, 1 failed");
    process.exit(1);
  }
}

await prerequisites();
if (want("drift")) stage("schema drift check", () => run(process.execPath, ["scripts/db-generate.mjs", "--check"]));
if (want("types")) stage("type check", () => run(bin("tsc"), ["--noEmit", "-p", "."]));
if (want("lint")) stage("lint (ESLint)", () => run(bin("eslint"), ["--max-warnings=0", "."]));
if (want("format")) stage("format (Prettier)", () => run(bin("prettier"), ["--check", "--log-level=warn", "."]));
for (const [project, title] of [
  ["unit", "pure unit tests"],
  ["peers", "real-peer tests"],
]) {
  if (want(project))
    stage(title, () => {
      const f = path.join(out, `${project}.json`);
      try {
        run(bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${f}`]);
      } finally {
        countVitest(f, project);
      }
    });
}
for (const provider of ["sqlite", "postgresql"]) {
  if (want("db"))
    stage(`database tests on ${provider}`, () => {
      const f = path.join(out, `db-${provider}.json`);
      try {
        run(bin("vitest"), ["run", "--project", "db", "--reporter=default", "--reporter=json", `--outputFile.json=${f}`], { DMBOARD_TEST_PROVIDER: provider });
      } finally {
        countVitest(f, `db ${provider}`);
      }
    });
}
if (want("e2e"))
  stage("build and end-to-end tests (Chromium)", () => {
    run(process.execPath, ["scripts/prepare.mjs"]);
    const f = path.join(out, "e2e.json");
    try {
      run(bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: f, CI: "1" });
    } finally {
      countPlaywright(f);
    }
  });

fs.rmSync(out, { recursive: true, force: true });
if (failures.length) console.log(`\nfailed stages: ${failures.join(", ")}`);
if (failedTests.length) console.log(`failed tests:\n  ${failedTests.join("\n  ")}`);
if (failures.length && failed === 0) failed = failures.length;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
