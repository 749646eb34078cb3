import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { openCount } from "@/lib/items/statuses";
import { topicPage } from "@/lib/topics/reads";
import { ItemList } from "@/components/items/ItemList";
import { MeetingRefs } from "@/components/people/MeetingRefs";
import { TopicLiveUsage } from "@/components/devmodel/TopicLiveUsage";
import { BackLink } from "@/components/ui/BackLink";
import { linkClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Topic" };
export const dynamic = "force-dynamic";

export default async function TopicPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requirePageRole("viewer", `/topics/${slug}`);
  const t = await topicPage(slug);
  if (!t) notFound();
  const open = openCount(t.counts);
  return (
    <div className="space-y-6">
      <BackLink href="/topics">All topics</BackLink>
      <header className="space-y-1">
        <p className="text-sm text-muted">Topic</p>
        <h1 className="text-2xl font-semibold">{t.topic.name}</h1>
        {t.topic.description && <p className="max-w-3xl text-sm">{t.topic.description}</p>}
      </header>
      {/* The live device-model count ("physmap keys: used by 12 of 40 VMs"), filled by
          the device-model side (components/devmodel); the slot name is what it looks for. */}
      <section data-slot="live-usage" aria-label="Live usage">
        <TopicLiveUsage slug={t.topic.slug} name={t.topic.name} />
      </section>
      <section aria-labelledby="open-heading" className="space-y-3">
        <h2 id="open-heading" className="text-lg font-semibold">
          Open items ({open})
        </h2>
        <ItemList items={t.openItems} label="Open items" empty="Nothing open on this topic." />
        <p className="text-sm">
          <Link href={`/items?topic=${encodeURIComponent(t.topic.slug)}`} className={linkClass}>
            This topic on the board →
          </Link>
        </p>
      </section>
      <section aria-labelledby="meetings-heading" className="space-y-3">
        <h2 id="meetings-heading" className="text-lg font-semibold">
          Meetings ({t.meetings.length})
        </h2>
        <MeetingRefs meetings={t.meetings} label="Meetings on this topic" empty="No meeting is tagged with this topic." />
      </section>
      <section aria-labelledby="closed-heading" className="space-y-3">
        <h2 id="closed-heading" className="text-lg font-semibold">
          Done and dropped ({t.counts.done + t.counts.dropped})
        </h2>
        <ItemList items={t.closedItems} label="Closed items" empty="No closed items yet." />
      </section>
    </div>
  );
}
