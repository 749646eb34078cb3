import fs from "node:fs";
import path from "node:path";
import { request, type FullConfig } from "@playwright/test";
import { E2E_PASSWORD } from "../playwright.config";

export const AUTH_DIR = path.join(import.meta.dirname, ".auth");
export const stateFor = (role: "admin" | "editor" | "viewer") => path.join(AUTH_DIR, `${role}.json`);

/** Signs the three demo accounts in once; tests reuse their cookies (storageState). */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  fs.mkdirSync(AUTH_DIR, { recursive: true });
  for (const role of ["admin", "editor", "viewer"] as const) {
    const ctx = await request.newContext({ baseURL });
    const res = await ctx.post("/api/auth/sign-in/email", { data: { email: `${role}@dmboard.local`, password: E2E_PASSWORD }, headers: { origin: baseURL } });
    if (!res.ok()) throw new Error(`sign-in as ${role} failed: ${res.status()} ${await res.text()}`);
    await ctx.storageState({ path: stateFor(role) });
    await ctx.dispose();
  }
}
