import path from "node:path";
import { defineConfig } from "vitest/config";

// Three projects, run by scripts/test.mjs in this order:
//   unit   pure tests: no socket, no child process, no database (seconds);
//   peers  tests that talk to real peers over real sockets: the simulator's xenstored and QEMUs,
//          Debian's QEMU and XenStore tools, pyxs, promtool, sshd, the CLIs (`*.peer.test.ts`);
//   db     tests on a database, run once per provider (DMBOARD_TEST_PROVIDER=sqlite|postgresql).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/db/**", "tests/**/*.peer.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "peers",
          include: ["tests/**/*.peer.test.ts"],
          exclude: ["tests/db/**"],
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["tests/db/**/*.test.ts"],
          // `*.postgresql.test.ts` / `*.sqlite.test.ts`: one engine's own behaviour (NOTIFY and
          // leases, data_version), run only in that engine's pass instead of reported as skipped.
          exclude: [`tests/db/**/*.${process.env.DMBOARD_TEST_PROVIDER === "postgresql" ? "sqlite" : "postgresql"}.test.ts`],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
