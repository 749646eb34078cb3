import Link from "@/components/ui/Link";
import { ITEM_STATUSES, OPEN_STATUSES, STATUS_LABELS, openCount, type ItemStatus } from "@/lib/items/statuses";
import { Card } from "@/components/ui/Card";
import { FormField } from "@/components/ui/Field";
import { FilterSelect } from "@/components/ui/FilterSelect";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, linkClass, smallInputClass } from "@/components/ui/styles";

type Option = { value: string; label: string };

/** The status tabs: each with its count under the other filters. */
export function StatusTabs({ counts, current, params }: { counts: Record<ItemStatus, number>; current: string; params: Record<string, string> }) {
  const href = (status: string) => {
    const sp = new URLSearchParams(Object.entries(params).filter(([k, v]) => k !== "page" && k !== "status" && v !== ""));
    if (status) sp.set("status", status);
    const s = sp.toString();
    return s ? `/items?${s}` : "/items";
  };
  const active = OPEN_STATUSES.join(",");
  const all = ITEM_STATUSES.reduce((n, s) => n + counts[s], 0);
  const tabs: { value: string; label: string; n: number }[] = [
    { value: "", label: "All", n: all },
    { value: active, label: "Not closed", n: openCount(counts) },
    ...ITEM_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s], n: counts[s] })),
  ];
  return (
    <nav aria-label="Status" className="flex flex-wrap gap-1">
      {tabs.map((t) => {
        const on = t.value === current;
        return (
          <Link
            key={t.label}
            href={href(t.value)}
            aria-current={on ? "page" : undefined}
            className={`rounded-md border px-3 py-1.5 text-sm ${on ? "border-indigo-700 bg-indigo-700 text-white" : "border-border hover:bg-border"}`}
          >
            {t.label} <span className={on ? "" : "text-muted"}>({t.n})</span>
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * The board's filters as a plain GET form: works without JavaScript, every filter is
 * in the URL (shareable, and the export links reuse it). Bad values come back with a
 * message next to their field.
 */
export function BoardFilters({
  values,
  errors,
  people,
  topics,
  series,
}: {
  values: Record<string, string>;
  errors: Record<string, string[]>;
  people: Option[];
  topics: Option[];
  series: Option[];
}) {
  const checked = (k: string) => ["1", "on", "true", "yes"].includes((values[k] ?? "").toLowerCase());
  // Keyed by the URL's filters: a navigation that changes them (Clear, a status tab, Back)
  // remounts the fields, so none keeps showing a value the URL no longer has.
  return (
    <Card
      as="form"
      key={new URLSearchParams(values).toString()}
      padding="sm"
      method="get"
      action="/items"
      role="search"
      aria-label="Filter action items"
      className="flex flex-wrap items-end gap-3"
    >
      {values.status && <input type="hidden" name="status" value={values.status} />}
      <FormField id="filter-q" label="Text contains" errors={errors.q}>
        {(control) => <input name="q" type="search" defaultValue={values.q ?? ""} className={`mt-1 ${smallInputClass}`} {...control} />}
      </FormField>
      <FilterSelect small name="owner" label="Owner" value={values.owner ?? ""} options={people} errors={errors.owner} all="Anyone" />
      <FilterSelect small name="topic" label="Topic" value={values.topic ?? ""} options={topics} errors={errors.topic} all="Any topic" />
      <FilterSelect small name="series" label="Series" value={values.series ?? ""} options={series} errors={errors.series} all="Any series" />
      <FilterSelect
        small
        name="group"
        label="Group by"
        value={values.group ?? "status"}
        options={[
          { value: "owner", label: "Owner" },
          { value: "topic", label: "Topic" },
          { value: "none", label: "No grouping" },
        ]}
        errors={errors.group}
        all="Status"
      />
      <FilterSelect
        small
        name="sort"
        label="Sort"
        value={values.sort ?? ""}
        options={[
          { value: "due", label: "Due date" },
          { value: "created", label: "Newest" },
          { value: "status", label: "Status" },
        ]}
        errors={errors.sort}
        all="Recently changed"
      />
      <fieldset className="flex items-center gap-3 pb-1.5">
        <legend className="sr-only">Toggles</legend>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" name="overdue" value="1" defaultChecked={checked("overdue")} /> Overdue only
        </label>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" name="mine" value="1" defaultChecked={checked("mine")} /> My items
        </label>
      </fieldset>
      <div className="flex items-center gap-2">
        <button className={buttonClass}>Apply filters</button>
        <Link href="/items" className={`text-sm ${linkClass}`}>
          Clear
        </Link>
      </div>
      {(errors.page || errors.pageSize || errors.since) && (
        <Notice tone="error" plain className="w-full">
          {[...(errors.page ?? []), ...(errors.pageSize ?? []), ...(errors.since ?? [])].join(" ")}
        </Notice>
      )}
    </Card>
  );
}
