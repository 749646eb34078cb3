/**
 * Classify every XenStore key of one guest's device model by the first matching rule.
 */
import type { DomainSnapshot } from "../types";
import { contextFor, matchSegments, splitPath, type MatchContext } from "./pattern";
import { DISPATCH_SEGMENT, type CompiledRule, type CompiledRules, type XsSeverity } from "./rules";
import type { TopicSlug } from "./topics";

export interface XsDependency {
  ruleId: string;
  dependency: string;
  topic: TopicSlug;
  severity: XsSeverity;
  /** Matching keys, sorted. */
  keys: string[];
}

export interface KeyClassification {
  /** One entry per rule that matched at least one key, in rule order. */
  dependencies: XsDependency[];
  /** Keys no rule matches (the working group's "scan for other uses"), sorted. */
  unclassified: string[];
  /** Every key → the id of the first rule that matched it, or null. */
  keyRules: Record<string, string | null>;
  /**
   * Directory nodes no rule matches but that have descendants among the keys. They are not
   * reported on their own: their descendants carry the classification (an unclassified
   * descendant is reported itself). Sorted.
   */
  directories: string[];
}

/** The first rule matching `path` for this domain, or null. Never throws. */
export function firstMatchingRule(rules: CompiledRules, path: string, ctx: MatchContext): CompiledRule | null {
  const segs = splitPath(path);
  return segs === null ? null : firstMatchingSegments(rules, segs, ctx);
}

function firstMatchingSegments(rules: CompiledRules, segs: readonly string[], ctx: MatchContext): CompiledRule | null {
  const head = segs[0];
  const candidates = (segs.length > DISPATCH_SEGMENT && rules.dispatch.get(segs[DISPATCH_SEGMENT])) || rules.wild;
  for (const rule of candidates) {
    if (rule.head !== null && rule.head !== head) continue;
    if (matchSegments(rule.compiled, segs, ctx)) return rule;
  }
  return null;
}

export function classifyKeys(domain: DomainSnapshot, compiledRules: CompiledRules): KeyClassification {
  const ctx = contextFor(domain);
  // Key names come from guests (a domain writes its own subtree): a prototype-less record keeps
  // a key named "__proto__" an ordinary entry instead of the object's prototype.
  const keyRules: Record<string, string | null> = Object.create(null);
  const groups = new Map<string, string[]>();
  const unmatched: string[] = [];
  const paths = Object.keys(domain.keys ?? {});

  for (const path of paths) {
    const segs = splitPath(path);
    const rule = segs === null ? null : firstMatchingSegments(compiledRules, segs, ctx);
    keyRules[path] = rule ? rule.id : null;
    if (rule) {
      const list = groups.get(rule.id);
      if (list) list.push(path);
      else groups.set(rule.id, [path]);
    } else unmatched.push(path);
  }

  // A node is a directory when some other key lies below it: collect every proper
  // ancestor of every key once (O(keys × depth)).
  const directories: string[] = [];
  const unclassified: string[] = [];
  if (unmatched.length > 0) {
    const isDir = new Set<string>();
    for (const p of paths) {
      for (let i = p.lastIndexOf("/"); i > 0; i = p.lastIndexOf("/", i - 1)) {
        const parent = p.slice(0, i);
        if (isDir.has(parent)) break; // its ancestors are in already
        isDir.add(parent);
      }
    }
    for (const p of unmatched) (isDir.has(p) ? directories : unclassified).push(p);
    directories.sort();
    unclassified.sort();
  }

  const dependencies: XsDependency[] = [];
  for (const rule of compiledRules.rules) {
    const keys = groups.get(rule.id);
    if (!keys) continue;
    dependencies.push({
      ruleId: rule.id,
      dependency: rule.dependency,
      topic: rule.topic,
      severity: rule.severity,
      keys: keys.sort(),
    });
  }
  return { dependencies, unclassified, keyRules, directories };
}
