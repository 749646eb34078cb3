/**
 * `npm run dm -- snapshot --ssh` against a real sshd in front of the simulator: it authenticates
 * like OpenSSH (--identity or the agent), checks the host key in $HOME/.ssh/known_hosts (plain,
 * hashed, [host]:port) and refuses an unknown or changed key saying so; secrets stay masked.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASK } from "@/lib/devmodel/secrets";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { startSshd, type TestSshd } from "../../helpers/sshd";
import { simPaths, simTmpDir } from "../sim/tmp";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../../..");
const PASSWORD = "Sw0rdf1sh-over-ssh";
let sshd: TestSshd;
let dir: string;
let host: SimHost;
let home: string;
let vfbKey: string;
let g: number;

beforeAll(async () => {
  dir = simTmpDir("sshcli");
  [sshd, host] = await Promise.all([startSshd(), startSimHost({ vms: 6, seed: 5, ...simPaths(dir) })]);
  g = host.fleet.guests.find((x) => x.kind.startsWith("hvm"))!.domid;
  vfbKey = `/local/domain/0/backend/vfb/${g}/0/vncpasswd`;
  host.server.store.write(vfbKey, PASSWORD);
  home = fs.mkdtempSync(path.join(sshd.dir, "home-"));
  fs.mkdirSync(path.join(home, ".ssh"), { mode: 0o700 });
}, 60_000);
afterAll(async () => {
  await host?.stop();
  await sshd?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function knownHosts(text: string): void {
  fs.writeFileSync(path.join(home, ".ssh", "known_hosts"), text);
}

async function dm(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const paths = ["--xenstored", host.socket, "--qmp-dir", host.qmpDir, "--proc", host.procDir, "--qmp-timeout", "2000"];
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "dm.ts"), "snapshot", ...paths, ...args], {
      cwd: ROOT,
      env: { ...process.env, HOME: home, SSH_AUTH_SOCK: "", ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("dm snapshot --ssh", () => {
  it("reads the host when known_hosts has its key ([host]:port form), with --identity; secrets masked", async () => {
    knownHosts(`# test\n${sshd.knownHostsLine}\n`);
    const r = await dm(["--ssh", sshd.target, "--identity", sshd.clientKey, "--json"]);
    expect(r.stderr).not.toMatch(/host key/i);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.xenstore.ok).toBe(true);
    expect(out.source.xenstored).toBe(`${sshd.target}:${host.socket}`);
    expect(out.domains).toHaveLength(host.fleet.guests.length + 1);
    const guest = out.domains.find((d: { domid: number }) => d.domid === g);
    expect(guest.keys[vfbKey]).toBe(MASK);
    expect(r.stdout).not.toContain(PASSWORD);
  });

  it("accepts a hashed known_hosts entry", async () => {
    knownHosts(`${sshd.knownHostsLine}\n`);
    execFileSync("ssh-keygen", ["-H", "-f", path.join(home, ".ssh", "known_hosts")], { stdio: "ignore" });
    expect(fs.readFileSync(path.join(home, ".ssh", "known_hosts"), "utf8")).toMatch(/^\|1\|/);
    const r = await dm(["--ssh", sshd.target, "--identity", sshd.clientKey]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Domain-0");
  });

  it("refuses an unknown host key, printing its fingerprint", async () => {
    knownHosts("");
    const r = await dm(["--ssh", sshd.target, "--identity", sshd.clientKey]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not known");
    expect(r.stderr).toContain(sshd.hostKeyFingerprint);
    expect(r.stdout).toBe("");
  });

  it("refuses a changed host key", async () => {
    const other = path.join(sshd.dir, "other_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other], { stdio: "ignore" });
    const [type, b64] = fs.readFileSync(`${other}.pub`, "utf8").split(/\s+/);
    knownHosts(`[127.0.0.1]:${sshd.port} ${type} ${b64}\n`);
    const r = await dm(["--ssh", sshd.target, "--identity", sshd.clientKey]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HAS CHANGED");
    expect(r.stderr).toContain(sshd.hostKeyFingerprint);
    expect(r.stdout).toBe("");
  });

  it("authenticates through the agent at SSH_AUTH_SOCK, and says so when there is no key at all", async () => {
    knownHosts(`${sshd.knownHostsLine}\n`);
    const none = await dm(["--ssh", sshd.target]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--identity|SSH_AUTH_SOCK/);
    const sock = path.join(sshd.dir, "agent.sock");
    const agent: ChildProcess = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync("ssh-add", [sshd.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: "ignore" });
      const r = await dm(["--ssh", sshd.target], { SSH_AUTH_SOCK: sock });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Domain-0");
    } finally {
      agent.kill();
    }
  });
});
