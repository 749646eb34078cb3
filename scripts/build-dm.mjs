#!/usr/bin/env node
// Runs before `npm run dm`: bundles scripts/dm.ts and the lib code it imports into one ES module
// (node_modules/.cache/dmboard/dm.mjs), so the CLI runs on plain `node`. Under `--import tsx` the
// snapshotting process also carried tsx's loader (a hooks thread with its own V8 heap, and the
// transpiling of every module at each start): ~30 MB of RSS and ~0.3 s of CPU per run
// (docs/perf-notes.md, "Snapshot memory"). esbuild is the one tsx already uses; packages stay
// external (node_modules, resolved from the bundle's folder). Rebuilt on every run: ~0.1 s, in
// this process, never stale after a `git pull`.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

const outfile = path.join(root, "node_modules/.cache/dmboard/dm.mjs");
const result = await build({
  absWorkingDir: root,
  entryPoints: ["scripts/dm.ts"],
  outfile,
  write: false,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  // As under tsx: names used by errors and logs (`constructor.name`) survive renames in the bundle.
  keepNames: true,
  logLevel: "warning",
});
// Written whole and renamed into place: another `npm run dm` may be starting from it right now.
fs.mkdirSync(path.dirname(outfile), { recursive: true });
const tmp = `${outfile}.${process.pid}.tmp`;
fs.writeFileSync(tmp, result.outputFiles[0].contents);
fs.renameSync(tmp, outfile);
