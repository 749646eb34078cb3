import { spawnSync } from "node:child_process";

/**
 * Prometheus' own parser and linter for the text exposition format: `promtool check
 * metrics` from Debian's prometheus package (the Go parser the server scrapes with).
 */
export function promtool(text: string): { code: number | null; output: string } {
  const r = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw new Error(`promtool: ${r.error.message} (Debian package prometheus; .ci/run installs it)`);
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The value of one sample line, e.g. value(text, 'dmboard_host_up{host="simulated"}'). */
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
