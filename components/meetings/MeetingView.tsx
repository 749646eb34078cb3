import Link from "@/components/ui/Link";
import { Markdown } from "@/components/markdown/Markdown";
import type { MeetingDetail } from "@/lib/meetings/reads";
import { outcomeLabel } from "@/lib/reviews/outcomes";
import { StatusBadge } from "@/components/items/StatusBadge";
import { EmptyState } from "@/components/ui/EmptyState";
import { chipClass, linkClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";

const owners = (o: { person: { displayName: string } }[]) => o.map((x) => x.person.displayName).join(", ") || "—";

/** The meeting as the group reads (and prints) it. */
export function MeetingView({ m }: { m: MeetingDetail }) {
  return (
    <article className="space-y-6" aria-labelledby="meeting-title">
      {/* Not a <header>: the print stylesheet hides headers (the app's top bar). */}
      <div className="space-y-1">
        <p className="text-sm text-muted">
          <Link href={`/meetings?series=${encodeURIComponent(m.series.slug)}`} className={linkClass}>
            {m.series.name}
          </Link>{" "}
          · <time dateTime={m.date.toISOString().slice(0, 10)}>{m.date.toISOString().slice(0, 10)}</time>
          {m.source === "import" && " · imported"}
          {m.sourceUrl && (
            <>
              {" · "}
              <a href={m.sourceUrl} rel="nofollow noopener noreferrer" className={linkClass}>
                source
              </a>
            </>
          )}
        </p>
        <h1 id="meeting-title" className="text-2xl font-semibold">
          {m.title}
        </h1>
        {m.topics.length > 0 && (
          <p className="flex flex-wrap gap-1" aria-label="Topics">
            {m.topics.map((t) => (
              <Link key={t.topicId} href={`/meetings?topic=${encodeURIComponent(t.topic.slug)}`} className={chipClass}>
                {t.topic.name}
              </Link>
            ))}
          </p>
        )}
      </div>

      <section aria-labelledby="attendees">
        <h2 id="attendees" className="mb-1 text-lg font-semibold">
          Attendees ({m.attendees.length})
        </h2>
        {m.attendees.length ? (
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {m.attendees.map((a) => (
              <li key={a.personId}>{a.person.displayName}</li>
            ))}
          </ul>
        ) : (
          <EmptyState>None recorded.</EmptyState>
        )}
      </section>

      <section aria-labelledby="reviewed">
        <h2 id="reviewed" className="mb-1 text-lg font-semibold">
          Reviewed previous action points
        </h2>
        {m.reviews.length ? (
          <Table>
            <THead>
              <tr>
                <Th>Item</Th>
                <Th>Owners</Th>
                <Th>Outcome</Th>
                <Th>Note</Th>
                <Th>Status now</Th>
              </tr>
            </THead>
            <tbody>
              {m.reviews.map((r) => (
                <Tr key={r.id}>
                  <Td>
                    <Link href={`/items/${r.itemId}`} className={linkClass}>
                      {r.item.text}
                    </Link>
                  </Td>
                  <Td>{owners(r.item.owners)}</Td>
                  <Td className="font-medium">{outcomeLabel(r.outcome)}</Td>
                  <Td>{r.note}</Td>
                  <Td>
                    <StatusBadge status={r.item.status} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState>No items were reviewed.</EmptyState>
        )}
      </section>

      <section aria-labelledby="minutes">
        <h2 id="minutes" className="mb-1 text-lg font-semibold">
          Minutes
        </h2>
        {m.body.trim() ? <Markdown source={m.body} /> : <EmptyState>No minutes.</EmptyState>}
      </section>

      <section aria-labelledby="decisions">
        <h2 id="decisions" className="mb-1 text-lg font-semibold">
          Decisions
        </h2>
        {m.decisions.trim() ? <Markdown source={m.decisions} /> : <EmptyState>None recorded.</EmptyState>}
      </section>

      <section aria-labelledby="items">
        <h2 id="items" className="mb-1 text-lg font-semibold">
          Action items ({m.itemsCreated.length})
        </h2>
        {m.itemsCreated.length ? (
          <ul className="space-y-1 text-sm">
            {m.itemsCreated.map((i) => (
              <li key={i.id} className="flex flex-wrap gap-2">
                <Link href={`/items/${i.id}`} className={linkClass}>
                  {i.text}
                </Link>
                <span className="text-muted">— {owners(i.owners)}</span>
                <StatusBadge status={i.status} />
                {i.target && <span className="text-muted">target {i.target}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>None.</EmptyState>
        )}
      </section>
    </article>
  );
}
