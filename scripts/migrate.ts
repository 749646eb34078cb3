/** `npm run db:migrate`: apply pending migrations to the configured database. */
import path from "node:path";
import { resolveDbConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";

const config = resolveDbConfig();
migrate(config, path.resolve(import.meta.dirname, ".."))
  .then((r) => console.log(`${config.display}: ${r.applied.length ? `applied ${r.applied.join(", ")}` : "up to date"}`))
  .catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
