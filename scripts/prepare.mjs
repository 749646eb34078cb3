#!/usr/bin/env node
// Runs before `npm start`: builds the app when no build exists or when the sources
// changed since the last build, so `npm install && npm start` works on a fresh clone
// and never serves a stale build after a `git pull`.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const INPUTS = [
  "app",
  "components",
  "lib",
  "prisma/schema.prisma",
  "next.config.ts",
  "postcss.config.mjs",
  "package-lock.json",
  "instrumentation.ts",
  "instrumentation-client.ts",
  "proxy.ts",
  "tsconfig.json",
];
const stamp = path.join(root, ".next", "dmboard-build-fingerprint");

function walk(p, hash) {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), hash);
  } else {
    hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
  }
}

const hash = createHash("sha256");
for (const i of INPUTS) walk(path.join(root, i), hash);
const fingerprint = hash.digest("hex");

const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === fingerprint;
if (built && !process.argv.includes("--force")) process.exit(0);

console.log("dmboard: building the app (first start or sources changed)…");
execFileSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
fs.writeFileSync(stamp, fingerprint);
