import Link from "next/link";
import { Markdown } from "@/components/markdown/Markdown";
import type { MeetingDetail } from "@/lib/meetings/reads";
import { outcomeLabel } from "@/lib/reviews/outcomes";
import { chipClass } from "./styles";

const STATUS_LABELS: Record<string, string> = { open: "Open", in_progress: "In progress", blocked: "Blocked", done: "Done", dropped: "Dropped" };
const owners = (o: { person: { displayName: string } }[]) => o.map((x) => x.person.displayName).join(", ") || "—";

/** The meeting as the group reads (and prints) it. */
export function MeetingView({ m }: { m: MeetingDetail }) {
  return (
    <article className="space-y-6" aria-labelledby="meeting-title">
      {/* Not a <header>: the print stylesheet hides headers (the app's top bar). */}
      <div className="space-y-1">
        <p className="text-sm text-muted">
          <Link href={`/meetings?series=${encodeURIComponent(m.series.slug)}`} className="underline">{m.series.name}</Link> · <time dateTime={m.date.toISOString().slice(0, 10)}>{m.date.toISOString().slice(0, 10)}</time>
          {m.source === "import" && " · imported"}
          {m.sourceUrl && (
            <>
              {" · "}
              <a href={m.sourceUrl} rel="nofollow noopener noreferrer" className="underline">source</a>
            </>
          )}
        </p>
        <h1 id="meeting-title" className="text-2xl font-semibold">{m.title}</h1>
        {m.topics.length > 0 && (
          <p className="flex flex-wrap gap-1" aria-label="Topics">
            {m.topics.map((t) => (
              <Link key={t.topicId} href={`/meetings?topic=${encodeURIComponent(t.topic.slug)}`} className={chipClass}>{t.topic.name}</Link>
            ))}
          </p>
        )}
      </div>

      <section aria-labelledby="attendees">
        <h2 id="attendees" className="mb-1 text-lg font-semibold">Attendees ({m.attendees.length})</h2>
        {m.attendees.length ? (
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {m.attendees.map((a) => (
              <li key={a.personId}>{a.person.displayName}</li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">None recorded.</p>
        )}
      </section>

      <section aria-labelledby="reviewed">
        <h2 id="reviewed" className="mb-1 text-lg font-semibold">Reviewed previous action points</h2>
        {m.reviews.length ? (
          <table className="w-full text-sm">
            <thead className="text-left text-muted">
              <tr>
                <th scope="col" className="py-1">Item</th>
                <th scope="col">Owners</th>
                <th scope="col">Outcome</th>
                <th scope="col">Note</th>
                <th scope="col">Status now</th>
              </tr>
            </thead>
            <tbody>
              {m.reviews.map((r) => (
                <tr key={r.id} className="border-t border-border align-top">
                  <td className="py-1 pr-2"><Link href={`/items/${r.itemId}`} className="underline-offset-2 hover:underline">{r.item.text}</Link></td>
                  <td className="pr-2">{owners(r.item.owners)}</td>
                  <td className="pr-2 font-medium">{outcomeLabel(r.outcome)}</td>
                  <td className="pr-2">{r.note}</td>
                  <td>{STATUS_LABELS[r.item.status] ?? r.item.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-muted">No items were reviewed.</p>
        )}
      </section>

      <section aria-labelledby="minutes">
        <h2 id="minutes" className="mb-1 text-lg font-semibold">Minutes</h2>
        {m.body.trim() ? <Markdown source={m.body} /> : <p className="text-sm text-muted">No minutes.</p>}
      </section>

      <section aria-labelledby="decisions">
        <h2 id="decisions" className="mb-1 text-lg font-semibold">Decisions</h2>
        {m.decisions.trim() ? <Markdown source={m.decisions} /> : <p className="text-sm text-muted">None recorded.</p>}
      </section>

      <section aria-labelledby="items">
        <h2 id="items" className="mb-1 text-lg font-semibold">Action items ({m.itemsCreated.length})</h2>
        {m.itemsCreated.length ? (
          <ul className="space-y-1 text-sm">
            {m.itemsCreated.map((i) => (
              <li key={i.id} className="flex flex-wrap gap-2">
                <Link href={`/items/${i.id}`} className="underline-offset-2 hover:underline">{i.text}</Link>
                <span className="text-muted">— {owners(i.owners)}</span>
                <span className={chipClass}>{STATUS_LABELS[i.status] ?? i.status}</span>
                {i.target && <span className="text-muted">target {i.target}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">None.</p>
        )}
      </section>
    </article>
  );
}
