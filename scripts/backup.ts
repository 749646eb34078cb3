/**
 * `npm run backup -- FILE`: a consistent backup of the configured database (the embedded
 * SQLite by default, or DATABASE_URL) while the server keeps running and writing. The
 * file is the portable format both engines restore (lib/backup/format.ts), mode 0600.
 * Exit codes: 0 written; 1 failed (nothing left behind); 2 usage.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { backupDatabase } from "@/lib/backup/commands";
import { BackupError } from "@/lib/backup/errors";
import { formatBytes, formatSeconds } from "@/lib/backup/report";
import { resolveDbConfig } from "@/lib/db/config";

const USAGE = "usage: npm run backup -- FILE   (backs up DATABASE_URL, or <DMBOARD_DATA_DIR>/dmboard.db when unset)";

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = path.resolve(positionals[0]);
  const config = resolveDbConfig();
  const t0 = performance.now();
  const s = (await backupDatabase(config, file))!;
  console.log(`backed up ${config.display} (${s.provider}, schema ${s.migrations.at(-1)}) to ${s.file}`);
  console.log(
    `  ${s.tables} tables, ${s.rows} rows, ${formatBytes(s.bytes)} in ${formatSeconds(performance.now() - t0)}; file mode 0600 (it holds password and API token hashes)`,
  );
  console.log(`  not included: ${s.omitted.join(", ")} (sign-in sessions: everyone signs in again after a restore)`);
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(`backup failed: ${err instanceof BackupError ? err.message : (err as Error).message}`);
    process.exit(1);
  });
