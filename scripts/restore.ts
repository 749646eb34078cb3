/**
 * `npm run restore -- FILE`: loads a backup (from either engine) into the configured
 * database, which must be empty (a new PostgreSQL database, or a SQLite file that does not
 * exist yet). All or nothing: on any refusal or error the target is left as it was.
 * `npm run restore -- --check FILE` reads the whole file and checks every checksum, without
 * a database. Exit codes: 0 done; 1 refused or failed; 2 usage.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { restoreBackup } from "@/lib/backup/commands";
import { BackupError } from "@/lib/backup/errors";
import { verifyBackup } from "@/lib/backup/format";
import { formatSeconds, tableLine } from "@/lib/backup/report";
import { resolveDbConfig } from "@/lib/db/config";

const ROOT = path.resolve(import.meta.dirname, "..");
const USAGE =
  "usage: npm run restore -- FILE        (into DATABASE_URL, or <DMBOARD_DATA_DIR>/dmboard.db when unset; it must be empty)\n       npm run restore -- --check FILE";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { check: { type: "boolean", default: false } } });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = path.resolve(positionals[0]);
  const t0 = performance.now();
  if (values.check) {
    const v = await verifyBackup(file);
    for (const t of v.tables) console.log(tableLine(t));
    console.log(
      `${file}: a whole ${v.header.provider} backup of ${v.header.createdAt}, schema ${v.header.migrations.at(-1)}; ${v.tables.length} tables, every checksum matches`,
    );
    return 0;
  }
  const config = resolveDbConfig();
  console.log(`restoring ${file} into ${config.display} (${config.provider})`);
  const r = await restoreBackup(file, config, { root: ROOT, onTable: (t) => console.log(tableLine(t)) });
  const later = r.migrations.target.slice(r.migrations.source.length);
  console.log(`restored and verified: ${r.tables.length} tables, ${r.rows} rows (counts and checksums equal) in ${formatSeconds(performance.now() - t0)}`);
  console.log(
    `  backup of ${r.header.createdAt} from ${r.header.provider}, schema ${r.migrations.source.at(-1)}${later.length ? `; then applied ${later.join(", ")}` : ""}`,
  );
  console.log(`  sessions were not in the backup: everyone signs in again`);
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(`restore refused: ${err instanceof BackupError ? err.message : (err as Error).message}`);
    process.exit(1);
  });
