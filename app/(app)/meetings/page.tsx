import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { parseQueryLenient } from "@/lib/api/query";
import { listMeetings, meetingFilterChoices } from "@/lib/meetings/reads";
import { meetingFiltersSchema } from "@/lib/meetings/schemas";
import { search } from "@/lib/search/search";
import { MeetingFiltersForm } from "@/components/meetings/MeetingFiltersForm";
import { MeetingList } from "@/components/meetings/MeetingList";
import { ItemHits } from "@/components/meetings/ItemHits";
import { Notice } from "@/components/ui/Notice";
import { Pager } from "@/components/ui/Pager";
import { buttonClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Meetings" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function MeetingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageRole("viewer", "/meetings");
  // A bad filter value is reported next to its field and ignored; the others still apply.
  const sp = await searchParams;
  const { deleted, ...query } = sp;
  const { value: filters, errors, raw } = parseQueryLenient(meetingFiltersSchema, query);
  const [page, { series, topics, people }, itemHits] = await Promise.all([
    listMeetings(filters),
    meetingFilterChoices(),
    filters.q ? search(filters.q, { kinds: ["item"], limit: 10 }) : Promise.resolve([]),
  ]);
  const canEdit = roleAtLeast(actor.role, "editor");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Meetings</h1>
        {canEdit && (
          <Link href="/meetings/new" className={`${buttonClass} no-print ml-auto`}>
            New meeting
          </Link>
        )}
        {canEdit && (
          <Link href="/meetings/import" className={`${buttonClass} no-print`}>
            Import minutes
          </Link>
        )}
      </div>
      {deleted === "1" && <Notice role="status">The meeting was deleted; its action items were kept.</Notice>}
      <MeetingFiltersForm values={raw} errors={errors} series={series} topics={topics} people={people} />
      <section aria-labelledby="results-heading" className="space-y-3">
        <h2 id="results-heading" className="text-lg font-semibold">
          {filters.q ? `Meetings matching “${filters.q}”` : "All meetings"}{" "}
          <span className="text-sm font-normal text-muted">
            ({page.total}
            {page.truncated ? "+" : ""})
          </span>
        </h2>
        {page.truncated && <p className="text-sm text-muted">Showing the {page.total} best matches; refine the search to see others.</p>}
        <MeetingList meetings={page.meetings} />
        <Pager basePath="/meetings" page={page.page} pageCount={page.pageCount} params={raw} />
      </section>
      {filters.q && <ItemHits hits={itemHits} q={filters.q} />}
    </div>
  );
}
