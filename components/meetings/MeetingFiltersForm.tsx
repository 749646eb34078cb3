import Link from "next/link";
import { buttonClass } from "@/components/ui/Field";
import { inputClass } from "./fieldErrors";
import { FieldMessage, describedBy } from "./FieldMessage";

interface Props {
  values: Record<string, string>;
  errors: Record<string, string[]>;
  series: { slug: string; name: string }[];
  topics: { slug: string; name: string }[];
  people: { id: string; displayName: string }[];
}

/** Filters and search as a plain GET form: every state of the list is a shareable URL. */
export function MeetingFiltersForm({ values, errors, series, topics, people }: Props) {
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <div>
      <label htmlFor={`filter-${name}`} className="block text-sm font-medium">{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={values[name] ?? ""} className={inputClass} {...describedBy(`filter-${name}`, errors[name])}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      <FieldMessage id={`filter-${name}-error`} errors={errors[name]} />
    </div>
  );
  const date = (name: string, label: string) => (
    <div>
      <label htmlFor={`filter-${name}`} className="block text-sm font-medium">{label}</label>
      <input id={`filter-${name}`} name={name} type="date" defaultValue={values[name] ?? ""} className={inputClass} {...describedBy(`filter-${name}`, errors[name])} />
      <FieldMessage id={`filter-${name}-error`} errors={errors[name]} />
    </div>
  );
  return (
    <form method="get" action="/meetings" role="search" aria-label="Find meetings" className="no-print rounded-lg border border-border bg-card p-4">
      <div>
        <label htmlFor="filter-q" className="block text-sm font-medium">Search minutes and action items</label>
        <div className="mt-1 flex gap-2">
          <input id="filter-q" name="q" type="search" defaultValue={values.q ?? ""} placeholder={'e.g. physmap  "shared page"  -clipboard'} className={inputClass.replace("mt-1 ", "")} {...describedBy("filter-q", errors.q)} />
          <button className={buttonClass}>Search</button>
        </div>
        <FieldMessage id="filter-q-error" errors={errors.q} />
      </div>
      <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        {select("series", "Series", series.map((s) => ({ value: s.slug, label: s.name })))}
        {select("topic", "Topic", topics.map((t) => ({ value: t.slug, label: t.name })))}
        {select("person", "Attendee", people.map((p) => ({ value: p.id, label: p.displayName })))}
        {date("from", "From")}
        {date("to", "To")}
      </div>
      <div className="mt-3 flex gap-3 text-sm">
        <button className="rounded-md border border-border px-3 py-1.5 hover:bg-border">Apply filters</button>
        <Link href="/meetings" className="self-center underline">Clear</Link>
      </div>
    </form>
  );
}
