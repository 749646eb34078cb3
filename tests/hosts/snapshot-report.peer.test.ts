/**
 * `npm run dm -- snapshot --json` carries the analysis: per domain the dependencies with
 * their rules, the unclassified keys and the depriv checklist with verdicts.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { simPaths, simTmpDir } from "../devmodel/sim/tmp";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");
let dir: string;
let host: SimHost;

beforeAll(async () => {
  dir = simTmpDir("report");
  host = await startSimHost({ vms: 16, seed: 4, ...simPaths(dir) });
});
afterAll(async () => {
  await host?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("dm snapshot --json", () => {
  it("prints every domain with its analysis", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(root, "scripts", "dm.ts"),
        "snapshot",
        "--json",
        "--xenstored",
        host.socket,
        "--qmp-dir",
        host.qmpDir,
        "--proc",
        host.procDir,
        "--qmp-timeout",
        "400",
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
    );
    const out = JSON.parse(stdout);
    expect(out.xenstore.ok).toBe(true);
    expect(out.analysis.ruleCount).toBe(DEFAULT_XS_RULES.length);
    expect(out.analysis.summary.vmCount).toBe(host.fleet.guests.filter((g) => g.kind !== "stubdom").length);
    expect(out.domains).toHaveLength(host.fleet.guests.length + 1);
    for (const d of out.domains) {
      expect(d.analysis.depriv.checks).toHaveLength(6);
      expect(Array.isArray(d.analysis.unclassified)).toBe(true);
      for (const dep of d.analysis.dependencies) {
        expect(dep.rule.id).toBe(dep.ruleId);
        expect(dep.rule.pattern).toBe(DEFAULT_XS_RULES.find((r) => r.id === dep.ruleId)!.pattern);
      }
    }
    const physmap = host.fleet.guests.find((g) => g.traits.physmap)!;
    const pd = out.domains.find((d: { domid: number }) => d.domid === physmap.domid);
    expect(pd.analysis.dependencies.map((x: { ruleId: string }) => x.ruleId)).toContain("physmap");
    const depriv = host.fleet.guests.find((g) => g.kind === "hvm-depriv" && !g.traits.unusual)!;
    const dd = out.domains.find((d: { domid: number }) => d.domid === depriv.domid);
    expect(dd.analysis.depriv.verdict).toBe("deprivileged");
    expect(dd.analysis.depriv.checks.every((c: { verdict: string }) => c.verdict === "pass")).toBe(true);
    // The raw snapshot is still all there.
    expect(Object.keys(dd.keys).length).toBeGreaterThan(3);
  });
});
