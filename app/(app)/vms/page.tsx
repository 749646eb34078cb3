import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { fleetOverview, listVms, parseVmQuery, type SortKey, type VmQuery } from "@/lib/hosts/fleet";
import { collectorReady } from "@/lib/hosts/service";
import { HostStrip } from "@/components/devmodel/Badges";
import { LiveRefresh } from "@/components/devmodel/LiveRefresh";
import { VmTableBody } from "@/components/devmodel/VmTableBody";
import { DM_LABEL } from "@/components/devmodel/format";
import { Pager } from "@/components/ui/Pager";
import { buttonClass, linkClass, smallInputClass } from "@/components/ui/styles";
import { THead, Table, Th } from "@/components/ui/Table";
import { ago, plural } from "@/components/ui/format";

export const metadata: Metadata = { title: "VMs" };
export const dynamic = "force-dynamic";

function href(q: VmQuery, patch: Partial<Record<keyof VmQuery, string | number | undefined>>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...patch })) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `/vms?${s}` : "/vms";
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "host", label: "Host" },
  { key: "domid", label: "Domid" },
  { key: "name", label: "Name" },
  { key: "deviceModel", label: "Device model" },
  { key: "qmp", label: "QMP" },
  { key: "verdict", label: "Depriv" },
  { key: "dependencies", label: "Dependencies" },
  { key: "unclassified", label: "Unclassified" },
];

export default async function VmsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("viewer", "/vms");
  const query = parseVmQuery(await searchParams);
  const states = (await collectorReady(2000)).states();
  const page = listVms(states, query);
  const hosts = fleetOverview(states).hosts;
  const lastGood = new Map(hosts.map((h) => [h.id, h.lastGoodAt]));
  const versions = Object.fromEntries(states.map((s) => [s.host.id, s.version]));
  const sort = query.sort ?? "host";
  const dir = query.dir ?? "asc";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">VMs</h1>
        <LiveRefresh versions={versions} />
      </div>
      <HostStrip hosts={hosts} />
      <form key={href(query, {})} method="get" action="/vms" className="flex flex-wrap items-end gap-2" role="search" aria-label="Filter VMs">
        <label className="text-sm">
          <span className="block text-muted">Search</span>
          <input name="q" defaultValue={query.q ?? ""} placeholder="name, domid, host" className={smallInputClass} />
        </label>
        <label className="text-sm">
          <span className="block text-muted">Host</span>
          <select name="host" defaultValue={query.host ?? ""} className={smallInputClass}>
            <option value="">all</option>
            {page.facets.hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.count})
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-muted">Depriv</span>
          <select name="verdict" defaultValue={query.verdict ?? ""} className={smallInputClass}>
            <option value="">all</option>
            {["deprivileged", "partial", "privileged", "unknown", "n/a"].map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-muted">Device model</span>
          <select name="dm" defaultValue={query.dm ?? ""} className={smallInputClass}>
            <option value="">all</option>
            {Object.entries(DM_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-muted">Dependency</span>
          <select name="dep" defaultValue={query.dep ?? ""} className={smallInputClass}>
            <option value="">all</option>
            <option value="any">any</option>
            <option value="none">none</option>
            {page.facets.dependencies.map((d) => (
              <option key={d.ruleId} value={d.ruleId}>
                {d.ruleId} ({d.count})
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-muted">QMP</span>
          <select name="qmp" defaultValue={query.qmp ?? ""} className={smallInputClass}>
            <option value="">all</option>
            {["ok", "timeout", "unreachable", "absent", "protocol", "error"].map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        {query.topic && <input type="hidden" name="topic" value={query.topic} />}
        {query.sort && <input type="hidden" name="sort" value={query.sort} />}
        {query.dir && <input type="hidden" name="dir" value={query.dir} />}
        <button type="submit" className={buttonClass}>
          Filter
        </button>
        <Link href="/vms" className={`px-2 py-1.5 text-sm ${linkClass}`}>
          Clear
        </Link>
      </form>
      {query.topic && (
        <p className="text-sm">
          Topic: <strong>{query.topic}</strong> (VMs with a blocker in it)
        </p>
      )}
      <p className="text-sm text-muted" aria-live="polite">
        {plural(page.total, "VM")}
        {page.pageCount > 1 && ` · page ${page.page} of ${page.pageCount}`}
      </p>
      <Table aria-label="Fleet">
        <THead>
          <tr>
            {COLUMNS.map((c) => {
              const active = sort === c.key;
              const next = active && dir === "asc" ? "desc" : "asc";
              return (
                <Th key={c.key} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                  <Link href={href(query, { sort: c.key, dir: next, page: undefined })} className={linkClass}>
                    {c.label}
                    {active ? (dir === "asc" ? " ▲" : " ▼") : ""}
                  </Link>
                </Th>
              );
            })}
          </tr>
        </THead>
        <VmTableBody
          rows={page.rows.map((r) => ({
            hostId: r.hostId,
            hostName: r.hostName,
            hostStatus: r.hostStatus,
            domid: r.domid,
            name: r.name,
            deviceModel: r.deviceModel,
            qmpStatus: r.qmpStatus,
            qmpVersion: r.qmpVersion,
            verdict: r.verdict,
            missing: r.missing,
            dependencies: r.dependencies,
            dependencyCount: r.dependencyCount,
            unclassifiedCount: r.unclassifiedCount,
            staleAgo: r.hostStatus === "ok" ? undefined : ago(lastGood.get(r.hostId) ?? null),
          }))}
        />
      </Table>
      <Pager
        basePath="/vms"
        page={page.page}
        pageCount={page.pageCount}
        params={Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === undefined ? undefined : String(v)]))}
      />
    </div>
  );
}
