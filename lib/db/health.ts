import { getDb } from "./client";

export interface DbHealth {
  ok: boolean;
  provider: string;
  latencyMs: number;
  migrations?: number;
  error?: string;
}

export async function checkDatabase(): Promise<DbHealth> {
  const started = performance.now();
  let provider = "unknown";
  try {
    provider = getDb().provider;
    const rows = await getDb().$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "_dmboard_migrations"`);
    return { ok: true, provider, latencyMs: Math.round(performance.now() - started), migrations: Number(rows[0]?.n ?? 0) };
  } catch (err) {
    return { ok: false, provider, latencyMs: Math.round(performance.now() - started), error: (err as Error).message.split("\n")[0] };
  }
}
