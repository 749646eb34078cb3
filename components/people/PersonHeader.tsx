import type { PersonPage } from "@/lib/people/reads";
import { plural } from "@/components/ui/format";

/** Who the person is, and the names the minutes use for them. */
export function PersonHeader({ person, totals }: { person: PersonPage["person"]; totals: PersonPage["totals"] }) {
  return (
    <header className="space-y-1">
      <p className="text-sm text-muted">Person</p>
      <h1 className="text-2xl font-semibold">{person.displayName}</h1>
      <p className="text-sm">
        {[person.organisation, person.email].filter(Boolean).join(" · ")}
        {person.aliases.length > 0 && (
          <span className="text-muted">
            {person.organisation || person.email ? " · " : ""}also written {person.aliases.map((a) => `“${a}”`).join(", ")}
          </span>
        )}
      </p>
      <p className="text-sm text-muted">
        {totals.open} open · {totals.done} done · {totals.dropped} dropped · {plural(totals.meetings, "meeting")} attended
        {person.account && <> · account {person.account}</>}
      </p>
    </header>
  );
}
