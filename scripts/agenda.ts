/**
 * `npm run agenda -- [--series SLUG] [--date YYYY-MM-DD] [--at ISO-TIME] [--json]`
 *
 * Prints the draft agenda of a series' next meeting (or of the meeting on --date) as the
 * plain text the list expects: the same buildAgenda + renderAgendaText as the agenda page,
 * so it can be mailed from a script. --json prints the structured draft instead. --at drafts it
 * as of another moment than now (the fleet's reads and overdue items as they stood then), so a
 * draft can be reproduced exactly.
 * Exit codes: 0 printed; 1 no such series, or no database; 2 usage.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildAgenda } from "@/lib/agenda/draft";
import { agendaQuerySchema } from "@/lib/agenda/schemas";
import { renderAgendaText } from "@/lib/agenda/text";
import { closeDb, getDb } from "@/lib/db/client";
import { resolveDbConfig } from "@/lib/db/config";
import { DomainError } from "@/lib/db/errors";
import { migrate } from "@/lib/db/migrate";

const ROOT = path.resolve(import.meta.dirname, "..");
const USAGE = "usage: npm run agenda -- [--series SLUG] [--date YYYY-MM-DD] [--at ISO-TIME] [--json]";

class UsageError extends Error {}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        series: { type: "string" },
        date: { type: "string" },
        at: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const q = agendaQuerySchema.safeParse({ series: values.series, date: values.date });
  if (!q.success) throw new UsageError(`${q.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}\n${USAGE}`);
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && (!/^\d{4}-\d{2}-\d{2}T/.test(values.at!) || Number.isNaN(at.getTime())))
    throw new UsageError(`--at: an ISO 8601 time such as 2025-06-18T09:00:00Z\n${USAGE}`);
  const config = resolveDbConfig();
  if (config.provider === "sqlite" && !fs.existsSync(config.url)) {
    console.error(`agenda: no database at ${config.display}; start dmboard once (npm start) or set DATABASE_URL`);
    return 1;
  }
  await migrate(config, ROOT);
  try {
    const draft = await buildAgenda({ series: q.data.series, date: q.data.date, now: at }, getDb());
    process.stdout.write(values.json ? `${JSON.stringify(draft, null, 2)}\n` : renderAgendaText(draft));
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(`agenda: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await closeDb();
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`agenda: ${(err as Error).message}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  });
