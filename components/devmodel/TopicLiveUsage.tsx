import Link from "@/components/ui/Link";
import { fleetOverview } from "@/lib/hosts/fleet";
import { collectorReady } from "@/lib/hosts/service";
import { Card } from "@/components/ui/Card";
import { linkClass } from "@/components/ui/styles";
import { plural } from "@/components/ui/format";

/**
 * The live count for a topic page: "Physmap keys: used by 12 of 40 VMs" — VMs with at
 * least one blocker dependency whose rule belongs to this topic, across every host.
 */
export async function TopicLiveUsage({ slug, name }: { slug: string; name?: string }) {
  const states = (await collectorReady(2000)).states();
  const o = fleetOverview(states);
  const used = o.topicUse[slug] ?? 0;
  const label = name ?? slug;
  const stale = o.hosts.filter((h) => h.status !== "ok");
  return (
    <Card padding="sm" className="text-sm" data-testid="topic-live-usage">
      {states.length === 0 ? (
        <p className="text-muted">{label}: no host is being read.</p>
      ) : (
        <p>
          <span className="font-medium">{label}</span>: used by{" "}
          <Link className={linkClass} href={`/vms?topic=${encodeURIComponent(slug)}`}>
            <strong data-count={used}>{used}</strong> of {plural(o.vmCount, "VM")}
          </Link>
          {stale.length > 0 && <span className="text-muted"> (not current for {stale.map((h) => `${h.name}: ${h.status}`).join(", ")})</span>}
        </p>
      )}
    </Card>
  );
}
