// `node --import ./bench/rusage-preload.mjs …`: at exit, the process's own peak RSS and CPU on
// stderr (one line, `rusage {json}`), for the bench to read of a CLI it runs as users do.
import fs from "node:fs";

process.on("exit", () => {
  const u = process.resourceUsage();
  fs.writeSync(2, `rusage ${JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })}\n`);
});
