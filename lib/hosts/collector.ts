/**
 * The collector: one HostRunner per enabled host, the rules they are analysed with, and
 * the subscribers (the live stream) told of every change. Knows nothing of Prisma: what
 * is stored goes through a `CollectorSink` (lib/hosts/persist.ts for the database).
 */
import { analyzeHost, compileRules, DEFAULT_XS_RULES, type CompiledRules, type HostAnalysis, type XsRule } from "@/lib/devmodel/analysis";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { HostAccessPool } from "./access";
import { changedDomids, diffAnalyses } from "./diff";
import { HostRunner, statusAt, type SnapshotFn } from "./runner";
import type { HostConfig, HostState, LiveUpdate, VmEventInput } from "./types";

export interface ReadRecord {
  host: HostConfig;
  at: Date;
  ok: boolean;
  error: string | null;
  analysis: HostAnalysis | null;
  events: VmEventInput[];
}

export interface CollectorSink {
  /** Called after every finished read; must not throw (errors are its own business). */
  record(read: ReadRecord): void;
  /** Wait for what was handed over to be stored. */
  flush?(): Promise<void>;
}

export interface CollectorOptions {
  rules?: readonly XsRule[];
  sink?: CollectorSink;
  snapshot?: SnapshotFn;
  /** One guest's QMP conversation (ms). Default QMP_TIMEOUT_MS: a hung QEMU must not slow every read. */
  qmpTimeoutMs?: number;
  /** XenStore connect/request timeout (ms). Default XENSTORE_TIMEOUT_MS. */
  timeoutMs?: number;
  debounceMs?: number;
  watch?: boolean;
  /** How hosts are reached (local paths, or one SSH connection per ssh host). Default: a new pool. */
  access?: HostAccessPool;
  /** Observer of every finished read (the metrics): host, outcome, duration. Must not throw. */
  onRead?: (read: { host: string; outcome: "ok" | "error"; durationMs: number }) => void;
}

type Listener = (u: LiveUpdate) => void;

function sameReach(a: HostConfig, b: HostConfig): boolean {
  return (
    a.xenstoredPath === b.xenstoredPath &&
    a.qmpDir === b.qmpDir &&
    a.procRoot === b.procRoot &&
    a.pollIntervalSec === b.pollIntervalSec &&
    a.kind === b.kind &&
    (a.sshTarget ?? null) === (b.sshTarget ?? null) &&
    (a.sshIdentityPath ?? null) === (b.sshIdentityPath ?? null) &&
    (a.sshHostKey ?? null) === (b.sshHostKey ?? null) &&
    (a.libxlSocket ?? false) === (b.libxlSocket ?? false)
  );
}

export class Collector {
  private runners = new Map<string, HostRunner>();
  private listeners = new Set<Listener>();
  private compiled: CompiledRules;
  private readonly snapshotFn: SnapshotFn;
  readonly access: HostAccessPool;
  private stopped = false;
  /** Bumped on every change of any host: lets readers cache derived data. */
  generation = 0;

  constructor(private readonly opts: CollectorOptions = {}) {
    this.compiled = compileRules(opts.rules ?? DEFAULT_XS_RULES);
    const access = (this.access = opts.access ?? new HostAccessPool());
    this.snapshotFn =
      opts.snapshot ??
      ((h, domids) =>
        takeSnapshot({
          access: access.accessFor(h),
          // Undefined: the snapshot's defaults (lib/devmodel/timeouts.ts).
          timeoutMs: opts.timeoutMs,
          qmpTimeoutMs: opts.qmpTimeoutMs,
          // A watch-driven re-read of the domains that changed (merged by the runner).
          domids,
          libxlSocket: h.libxlSocket === true,
        }));
  }

  get rules(): CompiledRules {
    return this.compiled;
  }

  /** Start, stop or restart runners so exactly the enabled hosts are read. */
  setHosts(hosts: readonly HostConfig[]): void {
    if (this.stopped) return;
    const wanted = new Map(hosts.filter((h) => h.enabled).map((h) => [h.id, h]));
    for (const [id, r] of this.runners) {
      const w = wanted.get(id);
      if (!w || !sameReach(w, r.host)) {
        this.runners.delete(id);
        void r.stop().then(() => (this.runners.has(id) ? undefined : this.access.release(id)));
        this.generation++;
      } else if (w.name !== r.host.name || w.kind !== r.host.kind) {
        r.state.host = w;
        r.state.version++;
        this.generation++;
      }
    }
    for (const [id, h] of wanted) {
      if (this.runners.has(id)) continue;
      const r = new HostRunner(h, {
        snapshot: this.snapshotFn,
        analyze: (snap) => analyzeHost(snap, this.compiled),
        onRead: (runner, prev, ok) => this.onRead(runner, prev, ok),
        debounceMs: this.opts.debounceMs,
        watch: this.opts.watch,
        xenstored: (host) => this.access.xenstored(host),
      });
      this.runners.set(id, r);
      r.start();
      this.generation++;
    }
  }

  /** New rules: recompile (throws on an invalid set, keeping the old) and re-analyze every kept snapshot. */
  setRules(rules: readonly XsRule[]): void {
    this.compiled = compileRules(rules);
    for (const r of this.runners.values()) {
      const prev = r.reanalyze();
      if (prev !== null || r.state.analysis) this.publish(r, prev);
    }
    this.generation++;
  }

  private onRead(runner: HostRunner, prev: HostAnalysis | null, ok: boolean): void {
    if (this.stopped || this.runners.get(runner.host.id) !== runner) return;
    this.generation++;
    const s = runner.state;
    const events = ok ? diffAnalyses(prev, s.analysis) : [];
    try {
      this.opts.onRead?.({ host: s.host.name, outcome: ok ? "ok" : "error", durationMs: s.elapsedMs ?? 0 });
    } catch {
      // an observer must not break collection
    }
    try {
      this.opts.sink?.record({
        host: s.host,
        at: s.lastAttemptAt ? new Date(s.lastAttemptAt) : new Date(),
        ok,
        error: s.error,
        analysis: ok ? s.analysis : null,
        events,
      });
    } catch {
      // a sink must not break collection
    }
    this.publish(runner, prev);
  }

  private publish(runner: HostRunner, prev: HostAnalysis | null): void {
    const s = runner.state;
    const u: LiveUpdate = {
      hostId: s.host.id,
      name: s.host.name,
      status: statusAt(s),
      version: s.version,
      lastGoodAt: s.lastGoodAt,
      error: s.error,
      vmCount: s.analysis?.summary.vmCount ?? 0,
      deprivileged: s.analysis?.summary.deprivileged ?? 0,
      changed: changedDomids(prev, s.analysis),
    };
    for (const l of this.listeners) {
      try {
        l(u);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Every host being read, with its status as of now. */
  states(now: number = Date.now()): HostState[] {
    return [...this.runners.values()].map((r) => ({ ...r.state, status: statusAt(r.state, now) })).sort((a, b) => a.host.name.localeCompare(b.host.name));
  }

  state(hostId: string): HostState | null {
    const r = this.runners.get(hostId);
    return r ? { ...r.state, status: statusAt(r.state) } : null;
  }

  runner(hostId: string): HostRunner | undefined {
    return this.runners.get(hostId);
  }

  async refresh(hostId: string): Promise<void> {
    await this.runners.get(hostId)?.refresh();
  }

  /** Wait until every host has finished at least one read (or the timeout). */
  async ready(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && [...this.runners.values()].some((r) => r.state.reads === 0)) await new Promise((r) => setTimeout(r, 25));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const rs = [...this.runners.values()];
    this.runners.clear();
    this.listeners.clear();
    await Promise.allSettled(rs.map((r) => r.stop()));
    await this.access.closeAll();
    await this.opts.sink?.flush?.();
  }
}
