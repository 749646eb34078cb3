/**
 * `npm run user:create -- --email E --role admin [--name N]` — the first admin on a real
 * install. The password is read from DMBOARD_NEW_PASSWORD or asked for on the terminal
 * (never taken from argv, where it would land in shell history and `ps`).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { resolveDbConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";
import { createUser } from "@/lib/auth/users";
import { getDb, closeDb } from "@/lib/db/client";
import { seedReferenceData } from "@/lib/db/seed";

async function askPassword(): Promise<string> {
  if (process.env.DMBOARD_NEW_PASSWORD) return process.env.DMBOARD_NEW_PASSWORD;
  if (!process.stdin.isTTY) throw new Error("set DMBOARD_NEW_PASSWORD or run in a terminal");
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide typed characters.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  process.stdout.write("Password (10+ characters): ");
  const pw = await rl.question("");
  rl.close();
  process.stdout.write("\n");
  return pw;
}

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, role: { type: "string", default: "admin" }, name: { type: "string" } } });
  if (!values.email) throw new Error("usage: npm run user:create -- --email E --role viewer|editor|admin [--name N]");
  await migrate(resolveDbConfig(), path.resolve(import.meta.dirname, ".."));
  await seedReferenceData(getDb());
  const password = await askPassword();
  const user = await createUser({ email: values.email, name: values.name ?? values.email.split("@")[0], role: values.role as "admin", password });
  console.log(`created ${user.email} (${user.role})`);
}

main()
  .catch((err) => {
    const issues = (err as { issues?: { path: string[]; message: string }[] }).issues;
    console.error(issues ? issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n") : (err as Error).message);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
