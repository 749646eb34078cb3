import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma does not load .env when a config file exists (stack notes, pitfall 1), and a
// missing DATABASE_URL silently makes `prisma generate` try to download the Rust engine.
try {
  process.loadEnvFile(".env");
} catch {
  /* no .env: fine */
}

// The CLI works on one provider at a time. scripts/db-generate.mjs sets
// DMBOARD_PRISMA_PROVIDER=postgresql to work on the derived PostgreSQL schema.
// Only the CLI reads this file (generate, migrate diff): the app opens its own
// connection in lib/db and migrations are applied by scripts/migrate.ts, because
// Prisma bug 27403 breaks `migrate deploy` on PostgreSQL.
const postgres = process.env.DMBOARD_PRISMA_PROVIDER === "postgresql";
process.env.DATABASE_URL ??= postgres ? "postgresql://postgres@127.0.0.1:5432/test" : "file:./data/dmboard.db";

export default defineConfig({
  schema: postgres ? path.join("generated", "schema.postgres.prisma") : path.join("prisma", "schema.prisma"),
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    if (postgres) {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: process.env.DATABASE_URL });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: ":memory:" });
  },
});
