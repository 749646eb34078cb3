/** "Test connection" through the host access: what it reports for a good host and a misconfigured one. */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setPeerBytesLog } from "@/lib/devmodel/protocol";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { testConnection } from "@/lib/hosts/test-connection";
import { simPaths, simTmpDir } from "../devmodel/sim/tmp";

const SECRET = "banner-secret-42";
let dir: string;
let host: SimHost;
let banner: net.Server;
let bannerPath: string;

beforeAll(async () => {
  dir = simTmpDir("testconn");
  host = await startSimHost({ vms: 4, seed: 6, ...simPaths(dir) });
  bannerPath = path.join(dir, "sshd.sock");
  banner = net.createServer((s) => {
    s.on("error", () => {});
    s.resume(); // read and ignore what the client says, as sshd would before its banner is answered
    s.write(`SSH-2.0-OpenSSH_9.2p1 ${SECRET}\r\n`);
  });
  await new Promise<void>((r) => banner.listen(bannerPath, r));
  setPeerBytesLog(() => undefined);
});
afterAll(async () => {
  setPeerBytesLog(null);
  await new Promise((r) => banner.close(r));
  await host?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("testConnection", () => {
  it("a reachable host: ok for each protocol", async () => {
    const r = await testConnection({ xenstoredPath: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir });
    expect(r.results.map((x) => [x.protocol, x.verdict])).toEqual([
      ["xenstore", "ok"],
      ["qmp", "ok"],
      ["procfs", "ok"],
    ]);
    expect(r.verdict).toBe("ok");
    expect(r.results[0].message).toMatch(/lists \d+ domains/);
  });

  it("a host pointed at the wrong services: fails, says why, and quotes nothing they sent", async () => {
    const qmpDir = path.join(dir, "wrong-qmp");
    fs.mkdirSync(qmpDir);
    fs.symlinkSync(bannerPath, path.join(qmpDir, "qmp-libxl-3"));
    const r = await testConnection({ xenstoredPath: bannerPath, qmpDir, procRoot: path.join(dir, "nowhere") });
    expect(r.verdict).toBe("fail");
    const [xs, qmp, proc] = r.results;
    expect(xs.verdict).toBe("fail");
    expect(qmp.verdict).toBe("warn");
    expect(qmp.message).toContain("SSH banner");
    expect(proc).toMatchObject({ verdict: "fail", message: expect.stringContaining("ENOENT") });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
