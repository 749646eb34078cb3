/**
 * One host's reader: polls on the host's interval, re-reads (debounced) on XenStore
 * watch events, keeps the latest good snapshot + analysis. Independent of every other
 * host: its own timers, its own connections, nothing shared but the callbacks.
 */
import type { HostAnalysis } from "@/lib/devmodel/analysis";
import { HOST_READ_TIMEOUT_MS, WATCH_RECONNECT_MAX_MS, WATCH_RETRY_INITIAL_MS, WATCH_RETRY_MAX_MS, XENSTORE_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import type { StreamTransport } from "@/lib/devmodel/transport";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { XenStoreClient, type XsWatch } from "@/lib/devmodel/xenstore";
import type { HostConfig, HostState, HostStatus } from "./types";

export type SnapshotFn = (host: HostConfig) => Promise<HostSnapshot>;

export interface RunnerOptions {
  snapshot: SnapshotFn;
  analyze: (snap: HostSnapshot) => HostAnalysis;
  /** Called after every finished read (good or not), with the analysis before it. */
  onRead: (runner: HostRunner, prev: HostAnalysis | null, ok: boolean) => void;
  /** Watch-triggered re-read delay (ms). Default 200. */
  debounceMs?: number;
  /** Subscribe to XenStore watches. Default true. */
  watch?: boolean;
  /** A read running longer than this is abandoned as failed (ms). Default HOST_READ_TIMEOUT_MS. */
  readTimeoutMs?: number;
  /** The transport of the watch connection (an SSH host's channel). Default: the local socket at xenstoredPath. */
  xenstored?: (host: HostConfig) => StreamTransport;
}

export const WATCH_PATHS = ["/local/domain", "@introduceDomain", "@releaseDomain"] as const;

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

  /** Read now (or right after the read in progress); resolves when that read is done. */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      await this.inFlight;
      if (this.inFlight) await this.inFlight;
      return;
    }
    this.inFlight = this.read().finally(() => {
      this.inFlight = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.requestRefresh();
      }
    });
    await this.inFlight;
  }

  /**
   * Something changed (a watch fired): read after `debounceMs`, coalescing bursts, and no
   * sooner after the previous read than that read took (at most half the time reading).
   */
  requestRefresh(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.debounceTimer) return;
    const debounce = this.opts.debounceMs ?? 200;
    const gap = Math.min(this.state.elapsedMs ?? 0, 10_000);
    const wait = Math.max(debounce, this.lastEndedAt + gap - Date.now());
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.refresh();
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

  private async read(): Promise<void> {
    const started = Date.now();
    let snap: HostSnapshot | null = null;
    let error: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const limit = this.opts.readTimeoutMs ?? HOST_READ_TIMEOUT_MS;
      snap = await Promise.race([
        this.opts.snapshot(this.host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`read did not finish within ${limit} ms`)), limit);
        }),
      ]);
      if (!snap.xenstore.ok) error = `XenStore ${snap.xenstore.error.kind}: ${snap.xenstore.error.message}`;
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
            for await (const _ev of w) {
              this.watchEvents++;
              this.requestRefresh();
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
