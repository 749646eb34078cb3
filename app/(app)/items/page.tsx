import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { parseQueryLenient } from "@/lib/api/query";
import { groupItems, listItems } from "@/lib/items/board";
import { itemChoices } from "@/lib/items/reads";
import { boardFiltersSchema } from "@/lib/items/schemas";
import { BoardFilters, StatusTabs } from "@/components/items/BoardFilters";
import { BoardTable } from "@/components/items/BoardTable";
import { Notice } from "@/components/ui/Notice";
import { Pager } from "@/components/ui/Pager";
import { secondaryButtonClass } from "@/components/ui/styles";
import { plural } from "@/components/ui/format";
import { bulkStatusAction } from "./actions";

export const metadata: Metadata = { title: "Action items" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ItemsBoardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageRole("viewer", "/items");
  const { value: filters, errors, raw } = parseQueryLenient(boardFiltersSchema, await searchParams);
  const [page, choices] = await Promise.all([listItems(filters, { userId: actor.userId }), itemChoices()]);
  const canEdit = roleAtLeast(actor.role, "editor");
  const exportQuery = new URLSearchParams(
    Object.entries(raw).filter(([k, v]) => v !== "" && !["page", "pageSize", "group"].includes(k) && !errors[k]),
  ).toString();
  const currentStatus = errors.status ? "" : filters.status.join(",");
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Action items</h1>
        <div className="ml-auto flex gap-2" aria-label="Export">
          <a href={`/api/items/export.csv${exportQuery ? `?${exportQuery}` : ""}`} className={secondaryButtonClass} download>
            Export CSV
          </a>
          <a href={`/api/items/export.json${exportQuery ? `?${exportQuery}` : ""}`} className={secondaryButtonClass} download>
            Export JSON
          </a>
        </div>
      </div>
      <StatusTabs counts={page.counts} current={currentStatus} params={raw} />
      {errors.status && (
        <Notice role="alert" tone="error" plain>
          Status: {errors.status.join(" ")} (ignored)
        </Notice>
      )}
      <BoardFilters
        values={raw}
        errors={errors}
        people={choices.people.map((p) => ({ value: p.id, label: p.displayName }))}
        topics={choices.topics.map((t) => ({ value: t.slug, label: t.name }))}
        series={choices.series.map((s) => ({ value: s.slug, label: s.name }))}
      />
      {filters.mine && page.mine === null && (
        <Notice role="status" tone="warn">
          Your account is not linked to a person of the working group, so “My items” shows nothing. An admin can link your account to your person.
        </Notice>
      )}
      <p className="text-sm text-muted" role="status">
        {plural(page.total, "item")} {page.total === 1 ? "matches" : "match"}
        {filters.mine && page.mine ? ` (owned by ${page.mine.displayName})` : ""}.
      </p>
      <BoardTable
        groups={groupItems(page.items, filters.group)}
        groupBy={filters.group}
        canEdit={canEdit}
        bulkAction={canEdit ? bulkStatusAction : undefined}
      />
      <Pager basePath="/items" page={page.page} pageCount={page.pageCount} params={raw} />
    </div>
  );
}
