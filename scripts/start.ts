/**
 * `npm start`: apply pending migrations, seed reference data (and, on the embedded quick
 * start, demo data: lib/db/startup.ts), start
 * the embedded simulated Xen host (unless a real host is configured or DMBOARD_SIM=off),
 * then serve the app. SIGTERM/SIGINT stop everything gracefully.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveDbConfig, dataDir } from "@/lib/db/config";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedOnStart, startupBanner } from "@/lib/db/startup";
import { log } from "@/lib/log";
import { simHostCount, simLabDir, simPaths, simSize, embeddedSimWanted } from "@/lib/devmodel/sim-defaults";

const root = path.resolve(import.meta.dirname, "..");

async function main() {
  const config = resolveDbConfig();
  const port = Number(process.env.PORT || 3000);
  // Before BETTER_AUTH_URL gets its default: a public URL set by the operator means no demo.
  const env = { ...process.env };
  process.env.BETTER_AUTH_URL ||= `http://localhost:${port}`;
  log.info({ database: config.display, provider: config.provider }, "database");
  const result = await migrate(config, root);
  if (result.applied.length) log.info({ applied: result.applied }, "migrations applied");

  const db = createDb(config);
  const seeded = await seedOnStart(db, config, env);
  await db.$disconnect();
  if (seeded.demo) log.info({ accounts: seeded.demo.accounts, reason: seeded.reason }, "demo data created");
  else if (seeded.noAccounts)
    log.warn({ reason: seeded.reason }, "no account exists yet: create the first admin with `npm run user:create -- --email you@example.org --role admin`");
  const banner = startupBanner(seeded, { url: process.env.BETTER_AUTH_URL, tty: Boolean(process.stdout.isTTY) }).join("\n");

  const children: ChildProcess[] = [];
  if (embeddedSimWanted() && fs.existsSync(path.join(root, "scripts", "sim.ts"))) {
    const p = simPaths(dataDir());
    const hosts = simHostCount();
    // One host (the default): the "simulated" host; more: a small lab, one seed per host.
    const where =
      hosts === 1
        ? ["--socket", p.socket, "--writer-socket", p.writerSocket, "--qmp-dir", p.qmpDir, "--proc", p.procDir]
        : ["--hosts", String(hosts), "--dir", simLabDir(dataDir())];
    const sim = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(root, "scripts", "sim.ts"),
        "--vms",
        String(simSize()),
        "--seed",
        "1",
        ...where,
        "--stats-file",
        p.statsFile,
        "--change-interval",
        process.env.DMBOARD_SIM_CHANGE_MS ?? "20000",
      ],
      {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    children.push(sim);
    log.info({ socket: hosts === 1 ? p.socket : simLabDir(dataDir()), hosts, vms: simSize() }, "embedded simulated Xen host started");
  }

  // scripts/serve.mjs rather than `next start`: it decides which client address the app sees.
  const next = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PORT: String(port), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  children.push(next);
  if (banner) setTimeout(() => console.log(banner), 500);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    for (const c of children) c.kill("SIGTERM");
    // Give children time to close connections, then leave regardless.
    setTimeout(() => process.exit(0), 8000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  next.on("exit", (code) => {
    for (const c of children) if (c !== next) c.kill("SIGTERM");
    process.exit(stopping ? 0 : (code ?? 1));
  });
}

main().catch((err) => {
  log.fatal({ err }, "start-up failed");
  process.exit(1);
});
