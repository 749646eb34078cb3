import Link from "@/components/ui/Link";
import { Card } from "@/components/ui/Card";
import { FieldError, describedBy } from "@/components/ui/FieldError";
import { FormField } from "@/components/ui/Field";
import { FilterSelect } from "@/components/ui/FilterSelect";
import { buttonClass, controlClass, inputClass, labelClass, linkClass, secondaryButtonClass } from "@/components/ui/styles";

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
    <FilterSelect name={name} label={label} value={values[name] ?? ""} options={options} errors={errors[name]} all="Any" />
  );
  const date = (name: string, label: string) => (
    <FormField id={`filter-${name}`} label={label} errors={errors[name]}>
      {(control) => <input name={name} type="date" defaultValue={values[name] ?? ""} className={inputClass} {...control} />}
    </FormField>
  );
  // Keyed by the URL's filters: a navigation that changes them (Clear, Back) remounts the
  // fields, so none keeps showing a value the URL no longer has.
  return (
    <Card as="form" key={new URLSearchParams(values).toString()} method="get" action="/meetings" role="search" aria-label="Find meetings" className="no-print">
      <div>
        <label htmlFor="filter-q" className={labelClass}>
          Search minutes and action items
        </label>
        <div className="mt-1 flex gap-2">
          <input
            id="filter-q"
            name="q"
            type="search"
            defaultValue={values.q ?? ""}
            placeholder={'e.g. physmap  "shared page"  -clipboard'}
            className={controlClass}
            {...describedBy("filter-q", errors.q)}
          />
          <button className={buttonClass}>Search</button>
        </div>
        <FieldError id="filter-q" errors={errors.q} />
      </div>
      <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        {select(
          "series",
          "Series",
          series.map((s) => ({ value: s.slug, label: s.name })),
        )}
        {select(
          "topic",
          "Topic",
          topics.map((t) => ({ value: t.slug, label: t.name })),
        )}
        {select(
          "person",
          "Attendee",
          people.map((p) => ({ value: p.id, label: p.displayName })),
        )}
        {date("from", "From")}
        {date("to", "To")}
      </div>
      <div className="mt-3 flex gap-3 text-sm">
        <button className={secondaryButtonClass}>Apply filters</button>
        <Link href="/meetings" className={`self-center ${linkClass}`}>
          Clear
        </Link>
      </div>
    </Card>
  );
}
