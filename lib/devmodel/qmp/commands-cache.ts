/**
 * What a host's QMP conversations leave for the next snapshot of the same host:
 *
 * - `query-commands` and `query-name` per QEMU process. The command list is fixed when QEMU starts
 *   (it is the build's command table) and so is the name (`-name`, which QMP cannot change): they
 *   are asked once per process, keyed by socket path + pid + start time (field 22 of
 *   /proc/<pid>/stat), which names one process for its whole life even when pids are reused.
 *   Without a start time nothing is kept.
 * - Which sockets timed out last time: they are talked to first, so a hung QEMU's timeout runs
 *   alongside everyone else's conversations instead of after them (a snapshot with one hung QEMU
 *   then takes about its timeout, not the QMP part plus the timeout).
 *
 * Identical lists (one QEMU build, hundreds of processes) share one array. Bounded: a few
 * thousand processes per host, a few hundred hosts per process.
 */
import type { HostSnapshot } from "@/lib/devmodel/types";
import type { QmpProcessConstants } from "./facts";

const MAX_HOSTS = 256;
const MAX_PROCESSES_PER_HOST = 8192;
const MAX_LISTS = 64;

export class QmpHostMemo {
  private readonly processes = new Map<string, QmpProcessConstants>();
  private readonly lists = new Map<string, string[]>();
  private slow = new Set<string>();

  /** The key of one QEMU process behind `socket`, or null when its start time is unknown. */
  static processKey(socket: string, pid: number | undefined, startTime: string | undefined): string | null {
    return pid !== undefined && startTime !== undefined ? `${socket}\0${pid}\0${startTime}` : null;
  }

  known(key: string | null): QmpProcessConstants | undefined {
    return key === null ? undefined : this.processes.get(key);
  }

  /** Remember what process `key` answered; returns the shared command array to keep in the snapshot. */
  remember(key: string | null, facts: QmpProcessConstants): string[] {
    const commands = facts.commands;
    const joined = commands.join("\n");
    let shared = this.lists.get(joined);
    if (!shared) {
      if (this.lists.size >= MAX_LISTS) this.lists.clear();
      this.lists.set(joined, commands);
      shared = commands;
    }
    if (key !== null) {
      if (this.processes.size >= MAX_PROCESSES_PER_HOST) this.processes.clear();
      this.processes.set(key, { commands: shared, name: facts.name });
    }
    return shared;
  }

  /** `sockets` with those that timed out last time first (stable otherwise). */
  slowFirst<T>(items: T[], socketOf: (item: T) => string): T[] {
    if (this.slow.size === 0) return items;
    return [...items.filter((i) => this.slow.has(socketOf(i))), ...items.filter((i) => !this.slow.has(socketOf(i)))];
  }

  /** Whether `socket` timed out in the previous snapshot. */
  isSlow(socket: string): boolean {
    return this.slow.has(socket);
  }

  /** The sockets that timed out in this snapshot (replaces the previous set). */
  setSlow(sockets: Iterable<string>): void {
    this.slow = new Set(sockets);
  }
}

const hosts = new Map<string, QmpHostMemo>();

/** The memo of the host reached as `source` (its xenstored, QMP directory and /proc, as the snapshot names them). */
export function qmpHostMemo(source: HostSnapshot["source"]): QmpHostMemo {
  const key = JSON.stringify(source);
  let m = hosts.get(key);
  if (!m) {
    if (hosts.size >= MAX_HOSTS) hosts.delete(hosts.keys().next().value!);
    m = new QmpHostMemo();
    hosts.set(key, m);
  }
  return m;
}
