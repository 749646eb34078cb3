import { describe, expect, it } from "vitest";
import { DEFAULT_XS_RULES, TOPIC_SLUGS } from "@/lib/devmodel/analysis";
import { DEFAULT_TOPICS } from "@/lib/topics/catalog";

/**
 * One list of topic slugs: the analysis owns it (every rule names one), the topics the
 * database is seeded with are exactly those, with a name and a description each.
 */
describe("topic catalogue", () => {
  it("seeds exactly the analysis' topic slugs, in its order", () => {
    expect(DEFAULT_TOPICS.map((t) => t.slug)).toEqual([...TOPIC_SLUGS]);
    for (const t of DEFAULT_TOPICS) {
      expect(t.name.trim(), t.slug).not.toBe("");
      expect(t.description.trim(), t.slug).not.toBe("");
    }
  });

  it("every reference rule's topic is seeded", () => {
    const seeded = new Set(DEFAULT_TOPICS.map((t) => t.slug));
    for (const r of DEFAULT_XS_RULES) expect(seeded.has(r.topic), `${r.id} → ${r.topic}`).toBe(true);
  });
});
