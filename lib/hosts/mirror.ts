/**
 * The live view of a worker that does not collect (DMBOARD_WORKERS on SQLite, where there is
 * no NOTIFY to share state through: lib/cluster/workers.ts). The lead worker runs the one
 * collector and tells the others every read (mirrorCollector below); each keeps a copy and
 * tells its own live streams. A worker that starts (or restarts) asks the lead for every
 * host first, then follows. The snapshot and the analysis travel only when they changed.
 *
 * No version is compared: the lead's messages reach a worker in the order it sent them (one
 * channel through the primary), its answer with every host included, and a restarted lead
 * (or a host whose reader restarted) counts versions from 0 again.
 */
import type { CompiledRules } from "@/lib/devmodel/analysis";
import { broadcast, callWorker, onBroadcast, serveMethod } from "@/lib/cluster/workers";
import { log } from "@/lib/log";
import type { Collector } from "./collector";
import { statusAt } from "./runner";
import type { LiveView } from "./shared";
import type { HostState, LiveUpdate } from "./types";

const TOPIC = "live";
const STATES_METHOD = "live.states";
/** Between tries to reach the lead at start (it may still be starting). */
const RETRY_MS = 500;

type MirrorMessage =
  /** A read of one host: the whole state when its version moved, else without snapshot and analysis. */
  | { kind: "state"; state: HostState; full: boolean; update: LiveUpdate }
  /** The hosts the lead reads now (after a reload): the others are gone. */
  | { kind: "hosts"; ids: string[] };

/** On the lead: tell the other workers every read, and answer a starting worker with every host. */
export function mirrorCollector(collector: Collector): void {
  const sent = new Map<string, number>();
  collector.subscribe((update) => {
    const s = collector.state(update.hostId);
    if (!s) return;
    const full = sent.get(update.hostId) !== s.version;
    sent.set(update.hostId, s.version);
    const state = full ? s : { ...s, snapshot: null, analysis: null };
    broadcast(TOPIC, { kind: "state", state, full, update } satisfies MirrorMessage);
  });
  serveMethod(STATES_METHOD, () => collector.states());
}

/** On the lead, after its hosts were (re)loaded. */
export function announceHosts(ids: string[]): void {
  broadcast(TOPIC, { kind: "hosts", ids } satisfies MirrorMessage);
}

export class MirrorLive implements LiveView {
  private readonly entries = new Map<string, HostState>();
  private readonly listeners = new Set<(u: LiveUpdate) => void>();
  private readonly loaded: Promise<void>;
  private stopped = false;
  private readonly unlisten: () => void;

  constructor(private readonly compiled: () => CompiledRules) {
    this.unlisten = onBroadcast(TOPIC, (p) => this.apply(p as MirrorMessage));
    this.loaded = this.load();
  }

  get rules(): CompiledRules {
    return this.compiled();
  }

  private async load(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const states = await callWorker<HostState[]>(0, STATES_METHOD);
        // What reached us before this answer is older than it (see the head comment).
        this.entries.clear();
        for (const s of states) this.entries.set(s.host.id, s);
        return;
      } catch (err) {
        if (attempt === 10) log.warn({ err }, "live state: the lead worker does not answer yet; still trying");
        await new Promise((r) => setTimeout(r, RETRY_MS).unref());
      }
    }
  }

  private apply(m: MirrorMessage): void {
    if (m.kind === "hosts") {
      const keep = new Set(m.ids);
      for (const id of this.entries.keys()) if (!keep.has(id)) this.entries.delete(id);
      return;
    }
    const old = this.entries.get(m.state.host.id);
    // Without the analysis (unchanged since the last full state): keep ours. Missed the full
    // one (this worker was starting): the next change brings it; meanwhile the lead's copy.
    const state = m.full ? m.state : { ...m.state, snapshot: old?.snapshot ?? null, analysis: old?.analysis ?? null };
    this.entries.set(state.host.id, state);
    if (!m.full && !old?.analysis && m.state.lastGoodAt) void this.load();
    for (const l of this.listeners) {
      try {
        l(m.update);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }

  states(now: number = Date.now()): HostState[] {
    return [...this.entries.values()].map((s) => ({ ...s, status: statusAt(s, now) })).sort((a, b) => a.host.name.localeCompare(b.host.name));
  }

  state(hostId: string): HostState | null {
    const s = this.entries.get(hostId);
    return s ? { ...s, status: statusAt(s) } : null;
  }

  subscribe(fn: (u: LiveUpdate) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** After the lead's first answer and first read of every host (or the timeout), like the collector's. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    await Promise.race([this.loaded, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    while (Date.now() < until && [...this.entries.values()].some((s) => s.reads === 0)) await new Promise((r) => setTimeout(r, 25));
  }

  stop(): void {
    this.stopped = true;
    this.unlisten();
  }
}
