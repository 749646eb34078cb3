import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { queryQmpFacts } from "@/lib/devmodel/qmp";
import { defaultProfile, QmpServer, type QmpServerMode } from "@/lib/devmodel/sim/qmp";
import { tempDir } from "./helpers";

const tmp = tempDir();
let n = 0;
const servers: QmpServer[] = [];

async function sim(mode: QmpServerMode, profile = defaultProfile(2)): Promise<{ server: QmpServer; path: string }> {
  const p = path.join(tmp.dir, `f${n++}.sock`);
  const server = new QmpServer({ profile, mode });
  await server.listen({ path: p });
  servers.push(server);
  return { server, path: p };
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  tmp.cleanup();
});

describe("queryQmpFacts never throws and classifies failures", () => {
  it("hung peer (accepts, never answers) → timeout, within the bound", async () => {
    const { server, path: p } = await sim("hang");
    const t0 = performance.now();
    const facts = await queryQmpFacts({ path: p }, { timeoutMs: 200 });
    const took = performance.now() - t0;
    expect(facts).toMatchObject({ status: "timeout", socket: p });
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(10_000); // bounded (a missing bound would hang); how fast is the bench's business
    // And it let go of the connection.
    await new Promise((r) => setTimeout(r, 20));
    expect((server as unknown as { held: Set<unknown> }).held.size).toBe(0);
  });

  it("peer that stops answering (SIGSTOP-like) → timeout, within the bound; fine again once resumed", async () => {
    const { server, path: p } = await sim("normal");
    server.suspend();
    const t0 = performance.now();
    const facts = await queryQmpFacts({ path: p }, { timeoutMs: 200 });
    expect(facts).toMatchObject({ status: "timeout" });
    expect(performance.now() - t0).toBeLessThan(10_000);
    server.resume();
    expect(await queryQmpFacts({ path: p }, { timeoutMs: 1_000 })).toMatchObject({ status: "ok", name: "guest-2" });
  });

  it("missing socket → unreachable; refused TCP port → unreachable", async () => {
    const missing = path.join(tmp.dir, "nope.sock");
    expect(await queryQmpFacts({ path: missing })).toMatchObject({ status: "unreachable", socket: missing });
    expect(await queryQmpFacts({ host: "127.0.0.1", port: 1 }, { timeoutMs: 500 })).toMatchObject({
      status: "unreachable",
      socket: "127.0.0.1:1",
    });
  });

  it("garbage and oversize greetings → protocol", async () => {
    const g = await sim("garbage");
    expect(await queryQmpFacts({ path: g.path }, { timeoutMs: 1_000 })).toMatchObject({ status: "protocol" });
    const o = await sim("oversize");
    const facts = await queryQmpFacts({ path: o.path }, { timeoutMs: 2_000 });
    expect(facts).toMatchObject({ status: "protocol" });
    if (facts.status !== "ok") expect(facts.error).toMatch(/exceeds/);
  });

  it("closed right after the greeting → error (connection lost mid-session)", async () => {
    const c = await sim("closeAfterGreeting");
    const facts = await queryQmpFacts({ path: c.path }, { timeoutMs: 1_000 });
    expect(facts).toMatchObject({ status: "error" });
    if (facts.status !== "ok") expect(facts.error).toMatch(/closed/);
  });

  it("a failing mandatory query → error; failing optional ones are tolerated", async () => {
    const bad = await sim("normal", defaultProfile(5, { replies: { "query-status": { error: { class: "GenericError", desc: "broken" } } } }));
    expect(await queryQmpFacts({ path: bad.path })).toMatchObject({ status: "error", error: expect.stringMatching(/broken/) });
    const notFound = (c: string) => ({ error: { class: "CommandNotFound", desc: `The command ${c} has not been found` } });
    const lean = await sim(
      "normal",
      defaultProfile(6, { replies: { "query-name": notFound("query-name"), "query-block": notFound("query-block"), "query-vnc": notFound("query-vnc") } }),
    );
    expect(await queryQmpFacts({ path: lean.path })).toMatchObject({ status: "ok", name: null, blockDevices: [], vnc: null });
  });
});
