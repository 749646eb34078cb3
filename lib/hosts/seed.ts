/** Device-model reference data, run by seedReferenceData on every start (idempotent). */
import type { Db } from "@/lib/db/client";
import { ensureEmbeddedSimHost } from "./hosts";
import { seedXsRules } from "./rules";

export async function seedDevmodelReference(db: Db): Promise<{ rulesAdded: number; simHost: boolean }> {
  const rulesAdded = await seedXsRules(db);
  const simHost = await ensureEmbeddedSimHost(db);
  return { rulesAdded, simHost };
}
