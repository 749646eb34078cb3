/**
 * Hosts and VMs for the read API (/api/v1/hosts, /api/v1/vms): the collector's
 * in-memory state as JSON pages, in the envelope every list route shares.
 */
import { z } from "zod";
import { apiPage, slicePage } from "@/lib/api/page";
import { parseQuery } from "@/lib/api/query";
import { emptyToUndefined, pageFields } from "@/lib/forms/fields";
import { findHost, listVms, vmQuerySchema } from "./fleet";
import type { HostState } from "./types";

const HOST_STATUSES = ["pending", "ok", "stale", "unreachable"] as const;

const apiHostQuerySchema = z
  .object({
    status: z.preprocess(emptyToUndefined, z.enum(HOST_STATUSES, { error: `status must be one of: ${HOST_STATUSES.join(", ")}` }).optional()),
    ...pageFields(20, 100),
  })
  .strict();

/** Every host the collector reads: status, last good read, and the fleet summary of its latest analysis. */
export function apiHostsPage(url: URL, hostStates: readonly HostState[]) {
  const q = parseQuery(apiHostQuerySchema, url);
  const states = hostStates.filter((s) => !q.status || s.status === q.status);
  const rows = slicePage(states, q.page, q.pageSize).map((s) => ({
    id: s.host.id,
    name: s.host.name,
    kind: s.host.kind,
    status: s.status,
    error: s.error,
    lastGoodAt: s.lastGoodAt,
    lastAttemptAt: s.lastAttemptAt,
    elapsedMs: s.elapsedMs,
    watching: s.watching,
    /** The server instance reading it (several instances on PostgreSQL), null otherwise. */
    collectedBy: s.collectedBy ?? null,
    pollIntervalSec: s.host.pollIntervalSec,
    ruleCount: s.analysis?.ruleCount ?? null,
    summary: s.analysis?.summary ?? null,
  }));
  return apiPage(url, rows, { page: q.page, pageSize: q.pageSize, total: states.length });
}

const apiVmQuerySchema = vmQuerySchema.strict();

/**
 * The fleet across hosts, one page. Each VM carries its dependencies with their rules,
 * its unclassified keys and its depriv checklist.
 */
export function apiVmsPage(url: URL, states: readonly HostState[]) {
  const page = listVms(states, parseQuery(apiVmQuerySchema, url));
  const data = page.rows.map((r) => {
    const vm = findHost(states, r.hostId)?.analysis?.vms.find((v) => v.domid === r.domid);
    return {
      host: { id: r.hostId, name: r.hostName, status: r.hostStatus },
      domid: r.domid,
      name: r.name,
      role: r.role,
      guestType: r.guestType,
      deviceModel: vm?.deviceModel ?? { kind: r.deviceModel },
      qmp: vm?.qmp ?? { status: r.qmpStatus },
      dependencies: vm?.dependencies ?? [],
      unclassified: vm?.unclassified ?? [],
      depriv: vm?.depriv ?? null,
      notes: vm?.notes ?? [],
    };
  });
  return apiPage(url, data, page);
}
