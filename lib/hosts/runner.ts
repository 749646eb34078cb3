/**
 * One host's reader: polls on the host's interval, re-reads (debounced) on XenStore
 * watch events, keeps the latest good snapshot + analysis. Independent of every other
 * host: its own timers, its own connections, nothing shared but the callbacks.
 */
import type { HostAnalysis } from "@/lib/devmodel/analysis";
import {
  HOST_READ_TIMEOUT_MS,
  WATCH_DEBOUNCE_MS,
  WATCH_RECONNECT_MAX_MS,
  WATCH_RETRY_INITIAL_MS,
  WATCH_RETRY_MAX_MS,
  XENSTORE_TIMEOUT_MS,
} from "@/lib/devmodel/timeouts";
import type { StreamTransport } from "@/lib/devmodel/transport";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { mergeSnapshot } from "@/lib/devmodel/snapshot";
import { XenStoreClient, type XsWatch } from "@/lib/devmodel/xenstore";
import type { HostConfig, HostState, HostStatus } from "./types";

/**
 * One read of a host; with `domids`, of those domains only (a watch-driven re-read, merged into
 * the last full snapshot with mergeSnapshot: a function that reads everything anyway is fine too).
 */
export type SnapshotFn = (host: HostConfig, domids?: readonly number[]) => Promise<HostSnapshot>;

export interface RunnerOptions {
  snapshot: SnapshotFn;
  analyze: (snap: HostSnapshot) => HostAnalysis;
  /** Called after every finished read (good or not), with the analysis before it. */
  onRead: (runner: HostRunner, prev: HostAnalysis | null, ok: boolean) => void;
  /** Watch-triggered re-read delay (ms), the window a burst is coalesced in. Default WATCH_DEBOUNCE_MS. */
  debounceMs?: number;
  /** Subscribe to XenStore watches. Default true. */
  watch?: boolean;
  /** A read running longer than this is abandoned as failed (ms). Default HOST_READ_TIMEOUT_MS. */
  readTimeoutMs?: number;
  /** The transport of the watch connection (an SSH host's channel). Default: the local socket at xenstoredPath. */
  xenstored?: (host: HostConfig) => StreamTransport;
}

export const WATCH_PATHS = ["/local/domain", "@introduceDomain", "@releaseDomain"] as const;

/**
 * The guest a watch event is about, when it is about one guest's device-model keys below an
 * existing domain: `/local/domain/<g>/…` (not the domain node itself: created or destroyed), and
 * a device-model domain's (dom0's or a stub domain's) `device-model/<g>/…` and `backend/<type>/<g>/…`. Null: re-read everything (dom0's own
 * keys, @introduceDomain/@releaseDomain, the watch's first firing, anything else).
 */
export function domainOfWatchPath(path: string): number | null {
  let m = /^\/local\/domain\/\d+\/(?:device-model\/(\d+)|backend\/[^/]+\/(\d+))\/./.exec(path);
  if (m) return Number(m[1] ?? m[2]);
  m = /^\/local\/domain\/([1-9]\d*)\/./.exec(path);
  return m ? Number(m[1]) : null;
}

/** When a host's last good read is too old to trust: three poll intervals, at least 30 s. */
export function staleAfterMs(host: HostConfig): number {
  return Math.max(3 * host.pollIntervalSec * 1000, 30_000);
}

/** The status as of `now` (stale is a matter of time, so it is computed on read). */
export function statusAt(state: Pick<HostState, "lastAttemptAt" | "lastGoodAt" | "error" | "host">, now: number = Date.now()): HostStatus {
  if (!state.lastAttemptAt) return state.lastGoodAt ? "ok" : "pending";
  if (state.error !== null) return "unreachable";
  if (state.lastGoodAt && now - Date.parse(state.lastGoodAt) > staleAfterMs(state.host)) return "stale";
  return "ok";
}

export class HostRunner {
  readonly state: HostState;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;
  /** What changed since the last read started: domains named by watch events, or everything. */
  private dirty: { full: boolean; domids: Set<number> } = { full: false, domids: new Set() };
  private lastEndedAt = 0;
  private watchClient: XenStoreClient | null = null;
  private watchLoopP: Promise<void> | null = null;
  private sleepTimer: { t: NodeJS.Timeout; resolve: () => void } | null = null;
  /** Watch events received (for tests and the status line). */
  watchEvents = 0;

  constructor(
    host: HostConfig,
    private readonly opts: RunnerOptions,
  ) {
    this.state = {
      host,
      status: "pending",
      lastAttemptAt: null,
      error: null,
      lastGoodAt: null,
      snapshot: null,
      analysis: null,
      elapsedMs: null,
      version: 0,
      watching: false,
      watchError: null,
      reads: 0,
    };
  }

  get host(): HostConfig {
    return this.state.host;
  }

  start(): void {
    this.schedulePoll(0);
    if (this.opts.watch !== false) this.watchLoopP = this.watchLoop();
  }

  /** Read everything now (or right after the read in progress); resolves when that read is done. */
  async refresh(): Promise<void> {
    this.dirty.full = true;
    return this.readDirty();
  }

  /** Read what changed: the domains watch events named, or everything (see SnapshotFn). */
  private async readDirty(): Promise<void> {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      await this.inFlight;
      if (this.inFlight) await this.inFlight;
      return;
    }
    const dirty = this.takeDirty();
    // Only some domains changed since a good full read: re-read those.
    const only = !dirty.full && dirty.domids.size > 0 && this.state.snapshot?.xenstore.ok ? [...dirty.domids] : undefined;
    this.inFlight = this.read(only).finally(() => {
      this.inFlight = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.schedule();
      }
    });
    await this.inFlight;
  }

  /**
   * Something changed (a watch fired): read after `debounceMs`, coalescing bursts, and no
   * sooner after the previous read than that read took (at most half the time reading).
   * `domids`: the change is within these domains (a partial re-read will do); none: everything.
   * Changes during a read make one more read after it, of everything they named.
   */
  requestRefresh(domids?: readonly number[]): void {
    if (this.stopped) return;
    if (domids) for (const d of domids) this.dirty.domids.add(d);
    else this.dirty.full = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.debounceTimer) return;
    const debounce = this.opts.debounceMs ?? WATCH_DEBOUNCE_MS;
    const gap = Math.min(this.state.elapsedMs ?? 0, 10_000);
    const wait = Math.max(debounce, this.lastEndedAt + gap - Date.now());
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.readDirty();
    }, wait);
    this.debounceTimer.unref?.();
  }

  private schedulePoll(delayMs: number): void {
    if (this.stopped) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      const started = Date.now();
      void this.refresh().finally(() => {
        const interval = this.host.pollIntervalSec * 1000;
        this.schedulePoll(Math.max(0, interval - (Date.now() - started)));
      });
    }, delayMs);
    this.pollTimer.unref?.();
  }

  private takeDirty(): { full: boolean; domids: Set<number> } {
    const d = this.dirty;
    this.dirty = { full: false, domids: new Set() };
    return d;
  }

  private async read(only?: readonly number[]): Promise<void> {
    const started = Date.now();
    let snap: HostSnapshot | null = null;
    let error: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const limit = this.opts.readTimeoutMs ?? HOST_READ_TIMEOUT_MS;
      snap = await Promise.race([
        this.opts.snapshot(this.host, only),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`read did not finish within ${limit} ms`)), limit);
        }),
      ]);
      if (!snap.xenstore.ok) error = `XenStore ${snap.xenstore.error.kind}: ${snap.xenstore.error.message}`;
      else if (only && this.state.snapshot) snap = mergeSnapshot(this.state.snapshot, snap, only);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
    }
    if (this.stopped) return;
    const s = this.state;
    const prev = s.analysis;
    s.lastAttemptAt = new Date(started).toISOString();
    s.elapsedMs = Date.now() - started;
    s.reads++;
    this.lastEndedAt = Date.now();
    if (error === null && snap) {
      let analysis: HostAnalysis;
      try {
        analysis = this.opts.analyze(snap);
      } catch (e) {
        s.error = `analysis failed: ${e instanceof Error ? e.message : String(e)}`;
        s.status = statusAt(s);
        s.version++;
        this.opts.onRead(this, prev, false);
        return;
      }
      s.error = null;
      s.snapshot = snap;
      s.analysis = analysis;
      s.lastGoodAt = s.lastAttemptAt;
    } else {
      s.error = error;
    }
    s.status = statusAt(s);
    s.version++;
    this.opts.onRead(this, prev, error === null);
  }

  /** Re-analyze the kept snapshot (rules changed). */
  reanalyze(): HostAnalysis | null {
    const s = this.state;
    if (!s.snapshot) return null;
    const prev = s.analysis;
    s.analysis = this.opts.analyze(s.snapshot);
    s.version++;
    return prev;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.sleepTimer = null;
        resolve();
      }, ms);
      t.unref?.();
      this.sleepTimer = { t, resolve };
    });
  }

  /** Reflect the watches' registration in the host's state (see HostState.watchError). */
  private showWatches(watches: readonly XsWatch[]): void {
    const s = this.state;
    const failed = watches.find((w) => w.registrationError !== null);
    const watching = watches.every((w) => w.registered);
    const watchError = failed
      ? `XenStore watch on ${failed.path} could not be registered again after a reconnect (retrying): ${failed.registrationError!.message}`
      : null;
    if (s.watching === watching && s.watchError === watchError) return;
    s.watching = watching;
    s.watchError = watchError;
    s.version++;
  }

  private async watchLoop(): Promise<void> {
    let backoff = WATCH_RETRY_INITIAL_MS;
    while (!this.stopped) {
      try {
        const client = await XenStoreClient.connect({
          ...(this.opts.xenstored ? { transport: this.opts.xenstored(this.host) } : { path: this.host.xenstoredPath }),
          timeoutMs: XENSTORE_TIMEOUT_MS,
          reconnect: { initialDelayMs: WATCH_RETRY_INITIAL_MS, maxDelayMs: WATCH_RECONNECT_MAX_MS },
        });
        if (this.stopped) {
          await client.close();
          break;
        }
        this.watchClient = client;
        const watches = await Promise.all(WATCH_PATHS.map((p) => client.watch(p)));
        // A reconnect un-registers them for a moment; one the server refuses to take back stays
        // unregistered (and is retried by the client): the host's state says so meanwhile.
        client.onWatchState(() => this.showWatches(watches));
        this.showWatches(watches);
        backoff = WATCH_RETRY_INITIAL_MS;
        await Promise.all(
          watches.map(async (w) => {
            for await (const ev of w) {
              this.watchEvents++;
              const d = domainOfWatchPath(ev.path);
              this.requestRefresh(d === null ? undefined : [d]);
            }
          }),
        );
      } catch {
        // connect refused or the connection ended: retry with backoff
      } finally {
        this.state.watching = false;
        this.state.watchError = null;
        const c = this.watchClient;
        this.watchClient = null;
        await c?.close().catch(() => undefined);
      }
      if (this.stopped) break;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, WATCH_RETRY_MAX_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.sleepTimer) {
      clearTimeout(this.sleepTimer.t);
      this.sleepTimer.resolve();
    }
    await this.watchClient?.close().catch(() => undefined);
    await Promise.allSettled([this.watchLoopP, this.inFlight]);
  }
}
