/**
 * known_hosts as OpenSSH reads it (plain patterns, negation, hashed names, [host]:port, @revoked),
 * SSH targets, and fingerprints — checked against ssh-keygen's own output.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkKnownHosts, hostKeyAlgorithms, knownKeyTypes, parseKnownHosts, parseSshTarget, sshFingerprint } from "@/lib/devmodel/ssh";

let dir: string;
const keys: { type: string; b64: string; blob: Buffer; fp: string }[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dm-kh-"));
  for (const [i, t] of ["ed25519", "ecdsa", "ed25519"].entries()) {
    const f = path.join(dir, `k${i}`);
    execFileSync("ssh-keygen", ["-q", "-t", t, "-N", "", "-f", f], { stdio: "ignore" });
    const [type, b64] = fs.readFileSync(`${f}.pub`, "utf8").split(/\s+/);
    const fp = /(SHA256:\S+)/.exec(execFileSync("ssh-keygen", ["-l", "-f", `${f}.pub`], { encoding: "utf8" }))![1];
    keys.push({ type, b64, blob: Buffer.from(b64, "base64"), fp });
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("fingerprints", () => {
  it("match ssh-keygen -l", () => {
    for (const k of keys) expect(sshFingerprint(k.blob)).toBe(k.fp);
  });
});

describe("known_hosts", () => {
  it("plain patterns, wildcards, negation and the [host]:port form", () => {
    const [a, b, c] = keys;
    const lines = parseKnownHosts(
      [
        "# comment",
        `dom0.example.org,10.0.0.5 ${a.type} ${a.b64}`,
        `*.lab.example.org,!bad.lab.example.org ${b.type} ${b.b64}`,
        `[dom0.example.org]:2222 ${c.type} ${c.b64} the other port`,
        "@cert-authority *.example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeadBeef",
        "garbage",
      ].join("\n"),
    );
    expect(checkKnownHosts(lines, "dom0.example.org", 22, a)).toEqual({ status: "known", line: 2 });
    expect(checkKnownHosts(lines, "DOM0.example.org", 22, a).status).toBe("known");
    expect(checkKnownHosts(lines, "10.0.0.5", 22, a).status).toBe("known");
    expect(checkKnownHosts(lines, "dom0.example.org", 22, c)).toMatchObject({ status: "changed", lines: [{ line: 2, fingerprint: a.fp }] });
    expect(checkKnownHosts(lines, "dom0.example.org", 2222, c).status).toBe("known");
    expect(checkKnownHosts(lines, "dom0.example.org", 2223, c).status).toBe("unknown");
    expect(checkKnownHosts(lines, "x1.lab.example.org", 22, b).status).toBe("known");
    expect(checkKnownHosts(lines, "bad.lab.example.org", 22, b).status).toBe("unknown");
    expect(knownKeyTypes(lines, "x1.lab.example.org", 22)).toEqual([b.type]);
    expect(hostKeyAlgorithms([b.type])[0]).toBe(b.type);
  });

  it("hashed entries as ssh-keygen -H writes them, and @revoked", () => {
    const [a, b] = keys;
    const file = path.join(dir, "known_hosts");
    fs.writeFileSync(file, `dom0.example.org ${a.type} ${a.b64}\n[10.1.2.3]:2200 ${b.type} ${b.b64}\n`);
    execFileSync("ssh-keygen", ["-H", "-f", file], { stdio: "ignore" });
    const lines = parseKnownHosts(fs.readFileSync(file, "utf8"));
    expect(lines.every((l) => l.hosts.startsWith("|1|"))).toBe(true);
    expect(checkKnownHosts(lines, "dom0.example.org", 22, a).status).toBe("known");
    expect(checkKnownHosts(lines, "10.1.2.3", 2200, b).status).toBe("known");
    expect(checkKnownHosts(lines, "10.1.2.3", 22, b).status).toBe("unknown");
    expect(checkKnownHosts(lines, "dom0.example.org", 22, b).status).toBe("changed");
    const revoked = parseKnownHosts(`${fs.readFileSync(file, "utf8")}@revoked * ${a.type} ${a.b64}\n`);
    expect(checkKnownHosts(revoked, "dom0.example.org", 22, a).status).toBe("revoked");
  });
});

describe("SSH targets", () => {
  it("parses user@host[:port] strictly", () => {
    expect(parseSshTarget("root@dom0.example.org")).toEqual({ ok: true, target: { user: "root", host: "dom0.example.org", port: 22 } });
    expect(parseSshTarget("xen-ro@10.0.0.5:2222")).toEqual({ ok: true, target: { user: "xen-ro", host: "10.0.0.5", port: 2222 } });
    expect(parseSshTarget("root@[fd00::1]:22")).toEqual({ ok: true, target: { user: "root", host: "fd00::1", port: 22 } });
    for (const bad of ["dom0", "root@", "@dom0", "root@dom0:0", "root@dom0:70000", "-oProxyCommand=x@dom0", "root@dom0;rm", "root@-dom0", "root@[nothex]"]) {
      expect(parseSshTarget(bad).ok, bad).toBe(false);
    }
  });
});
