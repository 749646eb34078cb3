/**
 * Our client and simulated xenstored against independent implementations: Debian's xenstore-utils
 * (C, libxenstore 4.17) and python3-pyxs, all talking to the same socket.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskXenStoreValue } from "@/lib/devmodel/secrets";
import { walkSubtree } from "@/lib/devmodel/snapshot-xenstore";
import type { XsPerms } from "@/lib/devmodel/types";
import { XenStoreClient, formatPerms } from "@/lib/devmodel/xenstore";
import type { XenStoreServer } from "@/lib/devmodel/sim/xenstored";
import { nextEvent, parseLsFull, parseLsIndented, runTool, sleep, startServer } from "./helpers";

let server: XenStoreServer;
let sock: string;
let stop: () => Promise<void>;
let client: XenStoreClient;

beforeAll(async () => {
  ({ server, sock, stop } = await startServer());
  client = await XenStoreClient.connect({ path: sock, timeoutMs: 5000 });
  const st = server.store;
  st.write("/local/domain/0/name", "Domain-0");
  for (let d = 1; d <= 12; d++) {
    const dom = `/local/domain/${d}`;
    st.write(`${dom}/name`, `vm-${d}`, ["n0", `r${d}`]);
    st.write(`${dom}/device/vbd/51712/state`, "4");
    st.write(`${dom}/device/vbd/51712/backend`, `/local/domain/0/backend/vbd/${d}/51712`);
    st.mkdir(`/local/domain/0/device-model/${d}/backends/qdisk`, ["n0", `r${d}`]);
    st.write(`/local/domain/0/device-model/${d}/state`, "running");
  }
  // Values that exercise xenstore-ls escaping: quotes, backslash, tab/newline, controls, UTF-8, long.
  st.write("/local/domain/3/data/odd", 'say "hi"\\ now\ttab\nline é');
  st.write("/local/domain/3/data/bytes", Buffer.from([1, 13, 0, 0x7f, 0x1b, 0x41]));
  st.write("/local/domain/3/data/long", "x".repeat(300));
  st.write("/local/domain/3/data/empty", "");
  // A directory whose listing exceeds 4096 bytes: libxenstore gets E2BIG and uses DIRECTORY_PART.
  for (let i = 0; i < 400; i++) st.write(`/big/entry-with-long-name-${i}`, String(i));
});

afterAll(async () => {
  await client?.close();
  await stop?.();
});

/**
 * Our view of the tree through the snapshot's own walker, in xenstore-ls terms: every node below
 * root (root excluded), depth first in child order as xenstore-ls prints (the walker itself keeps
 * arrival order; the order of each listing is the server's, checked against xenstore-list below).
 */
async function ours(root: string, perms = false) {
  const walked = await walkSubtree(client, root);
  const values: Record<string, string> = {};
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (!walked.has(p)) continue;
    if (p !== root) values[p] = walked.get(p)!;
    const children = await client.directory(p);
    for (let i = children.length - 1; i >= 0; i--) stack.push(p === "/" ? `/${children[i]}` : `${p}/${children[i]}`);
  }
  expect(Object.keys(values).length).toBe(walked.size - (walked.has(root) ? 1 : 0));
  let permsOf: Record<string, XsPerms> | undefined;
  if (perms) {
    permsOf = {};
    for (const p of Object.keys(values)) permsOf[p] = await client.getPerms(p);
  }
  return { values, perms: permsOf };
}

describe("real xenstore-utils against the simulated xenstored", () => {
  it("xenstore-ls -f lists exactly what the snapshot's walker reads (values, escapes, large dirs)", async () => {
    const r = await runTool("xenstore-ls", ["-f", "/"], sock);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const theirs = parseLsFull(r.stdout);
    const snap = await ours("/");
    expect(theirs.size).toBe(Object.keys(snap.values).length);
    expect(theirs.size).toBe(server.store.size - 1);
    for (const [path, value] of Object.entries(snap.values)) {
      expect(theirs.get(path)?.value.toString("utf8"), path).toBe(value);
    }
    expect([...theirs.keys()]).toEqual(Object.keys(snap.values)); // same order too
    // Raw bytes survive their escaping and our parsing.
    expect([...theirs.get("/local/domain/3/data/bytes")!.value]).toEqual([1, 13, 0, 0x7f, 0x1b, 0x41]);
    expect(theirs.get("/local/domain/3/data/odd")!.value.toString()).toBe('say "hi"\\ now\ttab\nline é');
    // Same order as our directory listing (creation order).
    const lsOrder = [...theirs.keys()].filter((p) => p.startsWith("/big/"));
    expect(lsOrder).toEqual((await client.directory("/big")).map((n) => `/big/${n}`));
  });

  it("xenstore-ls -p -f shows the permissions getPerms returns", async () => {
    const r = await runTool("xenstore-ls", ["-p", "-f", "/local"], sock);
    expect(r.code).toBe(0);
    const theirs = parseLsFull(r.stdout);
    const snap = await ours("/local", true);
    expect(theirs.size).toBe(Object.keys(snap.values).length);
    for (const [path, p] of Object.entries(snap.perms!)) {
      if (path === "/local") continue;
      expect(theirs.get(path)?.perms, path).toEqual(formatPerms(p));
    }
    expect(theirs.get("/local/domain/5/name")?.perms).toEqual(["n0", "r5"]);
  });

  it("plain (indented) xenstore-ls has the same structure", async () => {
    const r = await runTool("xenstore-ls", ["/local/domain/0"], sock);
    expect(r.code).toBe(0);
    const paths = parseLsIndented(r.stdout, "/local/domain/0");
    // Both depth first in child order.
    expect(paths).toEqual(Object.keys((await ours("/local/domain/0")).values));
    expect(paths).toEqual(server.store.paths("/local/domain/0").slice(1));
  });

  it("xenstore-list and xenstore-read agree with directory() and read()", async () => {
    const l = await runTool("xenstore-list", ["/big"], sock);
    expect(l.code).toBe(0);
    expect(l.stdout.trimEnd().split("\n")).toEqual(await client.directory("/big"));
    const r = await runTool("xenstore-read", ["/local/domain/7/name", "/local/domain/7/device/vbd/51712/state"], sock);
    expect(r.stdout).toBe("vm-7\n4\n");
    const missing = await runTool("xenstore-read", ["/local/domain/99/name"], sock);
    expect(missing.code).not.toBe(0);
    expect((await runTool("xenstore-exists", ["/local/domain/7"], sock)).code).toBe(0);
    expect((await runTool("xenstore-exists", ["/local/domain/99"], sock)).code).not.toBe(0);
  });

  it("keys written by xenstore-write are read by our client (absolute and relative)", async () => {
    const r = await runTool("xenstore-write", ["/written/by/c", "hello world", "rel-key", "v2"], sock);
    expect(r.code).toBe(0);
    expect(await client.read("/written/by/c")).toBe("hello world");
    expect(await client.read("/local/domain/0/rel-key")).toBe("v2");
    expect(await client.directory("/written/by")).toEqual(["c"]);
  });

  it("xenstore-watch sees changes we make; our watch sees xenstore-rm", async () => {
    server.store.mkdir("/watched");
    const child = spawn("xenstore-watch", ["-n", "3", "/watched"], {
      env: { ...process.env, XENSTORED_PATH: sock },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    child.stdout.on("data", (b: Buffer) => lines.push(...b.toString().split("\n").filter(Boolean)));
    const exited = new Promise<number | null>((res) => child.on("close", (c) => res(c)));
    const deadline = Date.now() + 5000;
    while (lines.length < 1 && Date.now() < deadline) await sleep(10);
    expect(lines).toEqual(["/watched"]); // fired on registration
    server.store.write("/watched/a", "1");
    while (lines.length < 2 && Date.now() < deadline) await sleep(10);
    server.store.rm("/watched/a");
    expect(await exited).toBe(0);
    expect(lines).toEqual(["/watched", "/watched/a", "/watched/a"]);

    const w = await client.watch("/watched");
    await nextEvent(w);
    expect((await runTool("xenstore-write", ["/watched/b/c", "x"], sock)).code).toBe(0);
    expect((await nextEvent(w)).path).toBe("/watched/b/c");
    expect((await runTool("xenstore-rm", ["/watched/b"], sock)).code).toBe(0);
    expect((await nextEvent(w)).path).toBe("/watched/b");
    await w.close();
    expect(await client.exists("/watched/b")).toBe(false);
  });

  it("xenstore-chmod round-trips through getPerms (and -r recurses)", async () => {
    server.store.write("/perm/a/b", "v");
    expect((await runTool("xenstore-chmod", ["/perm/a", "n0", "r5", "b7"], sock)).code).toBe(0);
    const p = await client.getPerms("/perm/a");
    expect(p).toMatchObject({ owner: 0, defaultAccess: "none" });
    expect(formatPerms(p)).toEqual(["n0", "r5", "b7"]);
    expect(formatPerms(await client.getPerms("/perm/a/b"))).toEqual(["n0"]);
    expect((await runTool("xenstore-chmod", ["-r", "/perm", "r3"], sock)).code).toBe(0);
    expect(formatPerms(await client.getPerms("/perm/a/b"))).toEqual(["r3"]);
    // The tool refuses an unknown letter itself, leaving the node alone…
    expect((await runTool("xenstore-chmod", ["/perm/a", "x5"], sock)).code).not.toBe(0);
    expect(formatPerms(await client.getPerms("/perm/a"))).toEqual(["r3"]);
    // …but parses the domid leniently: "bogus" is sent as "b0" (letter + atoi of the rest).
    expect((await runTool("xenstore-chmod", ["/perm/a", "bogus"], sock)).code).toBe(0);
    expect(formatPerms(await client.getPerms("/perm/a"))).toEqual(["b0"]);
  });
});

const PYXS_SCRIPT = `
import base64, json, sys
from pyxs import Client
sock = sys.argv[1]
with Client(unix_socket_path=sock) as c:
    tree = {}
    for path, value, children in c.walk(b"/local"):
        tree[path.decode()] = base64.b64encode(value).decode()
    perms = [p.decode() for p in c.get_perms(b"/local/domain/4/name")]
    c.write(b"/from/pyxs", b"written by pyxs")
    with c.monitor() as m:
        m.watch(b"/pyxs-watch", b"tok")
        first = next(m.wait())
        print(json.dumps({"tree": tree, "perms": perms, "first": [first.path.decode(), first.token.decode()]}), flush=True)
        second = next(m.wait())
        print(json.dumps([second.path.decode(), second.token.decode()]), flush=True)
`;

describe("python3-pyxs (independent pure-Python client)", () => {
  it("walks the same tree, reads perms, writes, and receives watch events", async () => {
    server.store.mkdir("/pyxs-watch");
    const child = spawn("/usr/bin/python3", ["-c", PYXS_SCRIPT, sock], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((res) => child.on("close", (c) => res(c)));
    const deadline = Date.now() + 10_000;
    while (!out.includes("\n") && Date.now() < deadline && child.exitCode === null) await sleep(10);
    expect(err).toBe("");
    const first = JSON.parse(out.split("\n")[0]) as { tree: Record<string, string>; perms: string[]; first: string[] };
    server.store.write("/pyxs-watch/k", "1");
    expect(await exited).toBe(0);
    expect(JSON.parse(out.split("\n")[1])).toEqual(["/pyxs-watch/k", "tok"]);

    const theirs = Object.fromEntries(Object.entries(first.tree).map(([p, v]) => [p, Buffer.from(v, "base64").toString("utf8")]));
    // The walker masks secret-looking keys at the source (a snapshot never holds them): so do we here.
    const snap = Object.fromEntries(await walkSubtree(client, "/local"));
    expect(Object.fromEntries(Object.entries(theirs).map(([p, v]) => [p, maskXenStoreValue(p, v)]))).toEqual(snap);
    expect(snap["/local/domain/0/rel-key"]).not.toBe(theirs["/local/domain/0/rel-key"]);
    expect(first.perms).toEqual(["n0", "r4"]);
    expect(first.first).toEqual(["/pyxs-watch", "tok"]);
    expect(await client.read("/from/pyxs")).toBe("written by pyxs");
  });
});
