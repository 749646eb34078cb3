import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { personPage } from "@/lib/people/reads";
import { ItemList } from "@/components/items/ItemList";
import { MeetingRefs } from "@/components/people/MeetingRefs";
import { PersonHeader } from "@/components/people/PersonHeader";
import { BackLink } from "@/components/ui/BackLink";
import { linkClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Person" };
export const dynamic = "force-dynamic";

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole("viewer", `/people/${id}`);
  const p = await personPage(id);
  if (!p) notFound();
  return (
    <div className="space-y-6">
      <BackLink href="/people">All people</BackLink>
      <PersonHeader person={p.person} totals={p.totals} />
      <section aria-labelledby="open-heading" className="space-y-3">
        <h2 id="open-heading" className="text-lg font-semibold">
          Open items ({p.totals.open})
        </h2>
        <ItemList items={p.openItems} label="Open items" empty="Nothing open." />
        <p className="text-sm">
          <Link href={`/items?owner=${p.person.id}`} className={linkClass}>
            All of {p.person.displayName}’s items on the board →
          </Link>
        </p>
      </section>
      <section aria-labelledby="closed-heading" className="space-y-3">
        <h2 id="closed-heading" className="text-lg font-semibold">
          Done and dropped ({p.totals.done + p.totals.dropped})
        </h2>
        <ItemList items={p.closedItems} label="Closed items" empty="No closed items yet." />
      </section>
      <section aria-labelledby="meetings-heading" className="space-y-3">
        <h2 id="meetings-heading" className="text-lg font-semibold">
          Meetings attended ({p.totals.meetings})
        </h2>
        <MeetingRefs meetings={p.meetings} label="Meetings attended" empty="No meetings recorded." />
      </section>
    </div>
  );
}
