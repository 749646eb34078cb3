/**
 * A writer for the backup-under-load test, in its own process like the server: creates
 * meeting "writer N" with two action items (owners, audit events: one transaction, seven
 * tables) for N = 0, 1, 2, … and prints N after each commit. Bounded: stops after
 * WRITER_MAX meetings, after two minutes, or on SIGTERM.
 */
import { closeDb, getDb } from "@/lib/db/client";
import { createMeeting } from "@/lib/meetings/commands";

const max = Number(process.env.WRITER_MAX || 20_000);
const deadline = Date.now() + 120_000;
let stop = false;
process.on("SIGTERM", () => (stop = true));

async function main() {
  const db = getDb();
  const series = await db.series.findFirstOrThrow({ where: { slug: "writer" } });
  const paul = await db.person.findFirstOrThrow({ where: { displayName: "Paul Durrant" } });
  for (let n = 0; n < max && !stop && Date.now() < deadline; n++) {
    await createMeeting(
      {
        seriesId: series.id,
        date: "2026-02-01",
        title: `writer ${n}`,
        body: `Body of write ${n}.`,
        attendeeIds: [paul.id],
        newItems: `Paul to write ${n}\nAndrew to check ${n}`,
      },
      { userId: "writer", email: "writer@example.org" },
      db,
    );
    process.stdout.write(`${n}\n`);
    // A turn of the event loop: on SQLite every await above settles as a microtask, and
    // the SIGTERM handler would never get to run.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await closeDb();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
