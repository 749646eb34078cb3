import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { listTopics } from "@/lib/topics/reads";
import { Card } from "@/components/ui/Card";
import { titleLinkClass } from "@/components/ui/styles";
import { plural } from "@/components/ui/format";

export const metadata: Metadata = { title: "Topics" };
export const dynamic = "force-dynamic";

export default async function TopicsPage() {
  await requirePageRole("viewer", "/topics");
  const topics = await listTopics();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Topics</h1>
      <Card as="ul" padding="none" className="divide-y divide-border" aria-label="Topics">
        {topics.map((t) => (
          <li key={t.slug} className="p-3">
            <Link href={`/topics/${t.slug}`} className={titleLinkClass}>
              {t.name}
            </Link>
            <span className="ml-2 text-xs text-muted">
              {plural(t.open, "open item")} · {plural(t.meetings, "meeting")}
            </span>
            {t.description && <p className="mt-0.5 text-sm text-muted">{t.description}</p>}
          </li>
        ))}
      </Card>
    </div>
  );
}
