import path from "node:path";
import { defineConfig } from "vitest/config";

// Two projects: `unit` needs nothing but Node and the real peers CI installs
// (xenstore-utils, python3-pyxs, qemu-system-x86); `db` needs a database and is
// run once per provider by scripts/test.mjs (DMBOARD_TEST_PROVIDER=sqlite|postgres).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
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
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
