/**
 * The XenStore path pattern language used by the rules.
 *
 * A pattern is an absolute path whose segments are each one of:
 *   - a literal: XenStore path characters only (ASCII letters, digits, `-`, `_`, `@`;
 *     reference §1.5), compared exactly;
 *   - `{a,b,c}`: one of the listed literals;
 *   - `<g>`: the guest's domid (decimal, exactly as XenStore spells it);
 *   - `<dm>`: the domid the device model runs in (`DomainSnapshot.dmDomid`). When the
 *     snapshot does not know it (null), `<dm>` accepts any decimal domid: the collector
 *     only gathers keys belonging to this guest, so the segment cannot point at another
 *     guest's device model;
 *   - `*`: exactly one (non-empty) segment;
 *   - `**`: any number of segments, zero included (so `/a/**` matches `/a` itself).
 * Placeholders and wildcards must be whole segments (`foo*`, `<g>x` are rejected).
 *
 * Patterns are compiled once to an array of segment tokens; matching walks the key's
 * segments with backtracking only at `**`, so placeholders are checked against the
 * domain during the walk (a key of ANOTHER guest never matches `<g>`).
 */

export type PatternToken =
  { kind: "lit"; value: string } | { kind: "alt"; values: ReadonlySet<string> } | { kind: "g" } | { kind: "dm" } | { kind: "star" } | { kind: "globstar" };

export interface CompiledPattern {
  source: string;
  tokens: readonly PatternToken[];
  /** Segments a key needs at least (every token except `**`). */
  minSegments: number;
  hasGlobstar: boolean;
}

/** Per-domain values the placeholders compare against. */
export interface MatchContext {
  g: string;
  /** null: device-model domid unknown, `<dm>` accepts any decimal domid. */
  dm: string | null;
}

/** XENSTORE_ABS_PATH_MAX (reference §1.5). */
export const MAX_PATTERN_LENGTH = 3072;
const LITERAL_RE = /^[\w@-]+$/;
const DOMID_RE = /^(?:0|[1-9]\d{0,4})$/;

function parseSegment(seg: string, index: number): { token?: PatternToken; error?: string } {
  const where = `segment ${index + 1} ("${seg}")`;
  if (seg === "") return { error: `${where}: empty segment (doubled or trailing "/")` };
  if (seg === "**") return { token: { kind: "globstar" } };
  if (seg === "*") return { token: { kind: "star" } };
  if (seg === "<g>") return { token: { kind: "g" } };
  if (seg === "<dm>") return { token: { kind: "dm" } };
  if (seg.startsWith("{") && seg.endsWith("}")) {
    const alts = seg.slice(1, -1).split(",");
    const bad = alts.find((a) => !LITERAL_RE.test(a));
    if (bad !== undefined) return { error: `${where}: alternatives in {…} must be non-empty literals of A-Z a-z 0-9 - _ @ (got "${bad}")` };
    return { token: { kind: "alt", values: new Set(alts) } };
  }
  if (/[<>]/.test(seg)) {
    const m = /<([^<>]*)>/.exec(seg);
    if (m && m[0] !== seg && (m[1] === "g" || m[1] === "dm")) return { error: `${where}: placeholder <${m[1]}> must be a whole segment` };
    return { error: `${where}: unknown placeholder; only <g> and <dm> are allowed` };
  }
  if (seg.includes("*")) return { error: `${where}: "*" and "**" must be a whole segment` };
  if (/[{},]/.test(seg)) return { error: `${where}: alternatives must be written as a whole segment {a,b}` };
  if (!LITERAL_RE.test(seg)) return { error: `${where}: only A-Z a-z 0-9 - _ @ are allowed in XenStore paths (reference §1.5)` };
  return { token: { kind: "lit", value: seg } };
}

/** Every problem with a pattern, as messages for an admin; empty when valid. */
export function validatePattern(pattern: string): string[] {
  return parsePattern(pattern).errors;
}

function parsePattern(pattern: string): { tokens: PatternToken[]; errors: string[] } {
  const errors: string[] = [];
  const tokens: PatternToken[] = [];
  if (typeof pattern !== "string" || pattern.length === 0) return { tokens, errors: ["pattern is empty"] };
  if (pattern.length > MAX_PATTERN_LENGTH) errors.push(`pattern is longer than ${MAX_PATTERN_LENGTH} characters (XenStore's absolute path limit)`);
  if (!pattern.startsWith("/")) {
    errors.push('pattern must be an absolute path starting with "/"');
    return { tokens, errors };
  }
  if (pattern === "/") return { tokens, errors: ["pattern must name at least one segment"] };
  const segs = pattern.slice(1).split("/");
  segs.forEach((seg, i) => {
    const r = parseSegment(seg, i);
    if (r.error) errors.push(r.error);
    else if (r.token) {
      const prev = tokens[tokens.length - 1];
      if (r.token.kind === "globstar" && prev?.kind === "globstar") errors.push(`segment ${i + 1}: "**/**" is redundant, write "**" once`);
      tokens.push(r.token);
    }
  });
  return { tokens, errors };
}

/** Compile a pattern; throws with every validation message when it is invalid. */
export function compilePattern(pattern: string): CompiledPattern {
  const { tokens, errors } = parsePattern(pattern);
  if (errors.length > 0) throw new Error(`invalid pattern "${pattern}": ${errors.join("; ")}`);
  const hasGlobstar = tokens.some((t) => t.kind === "globstar");
  return {
    source: pattern,
    tokens,
    minSegments: tokens.filter((t) => t.kind !== "globstar").length,
    hasGlobstar,
  };
}

/**
 * Split an absolute XenStore path into segments; null when it is not a well-formed
 * absolute path (no leading "/", empty segments, root alone). Such keys match nothing.
 */
export function splitPath(path: string): string[] | null {
  if (typeof path !== "string" || path.length < 2 || path.charCodeAt(0) !== 47 /* / */) return null;
  const segs = path.slice(1).split("/");
  for (const s of segs) if (s === "") return null;
  return segs;
}

function segmentMatches(t: PatternToken, seg: string, ctx: MatchContext): boolean {
  switch (t.kind) {
    case "lit":
      return t.value === seg;
    case "alt":
      return t.values.has(seg);
    case "g":
      return seg === ctx.g;
    case "dm":
      return ctx.dm === null ? DOMID_RE.test(seg) : seg === ctx.dm;
    case "star":
      return true;
    case "globstar":
      return true; // handled by the walker
  }
}

function walk(tokens: readonly PatternToken[], ti: number, segs: readonly string[], si: number, ctx: MatchContext): boolean {
  while (ti < tokens.length) {
    const t = tokens[ti];
    if (t.kind === "globstar") {
      if (ti === tokens.length - 1) return true;
      for (let k = si; k <= segs.length; k++) if (walk(tokens, ti + 1, segs, k, ctx)) return true;
      return false;
    }
    if (si >= segs.length || !segmentMatches(t, segs[si], ctx)) return false;
    ti++;
    si++;
  }
  return si === segs.length;
}

/** Match pre-split segments (see `splitPath`) against a compiled pattern. */
export function matchSegments(p: CompiledPattern, segs: readonly string[], ctx: MatchContext): boolean {
  if (p.hasGlobstar ? segs.length < p.minSegments : segs.length !== p.minSegments) return false;
  return walk(p.tokens, 0, segs, 0, ctx);
}

/** Convenience: match a path string. Malformed paths never match. */
export function matchPath(p: CompiledPattern, path: string, ctx: MatchContext): boolean {
  const segs = splitPath(path);
  return segs !== null && matchSegments(p, segs, ctx);
}

/** The placeholder values for one domain. */
export function contextFor(domain: { domid: number; dmDomid: number | null }): MatchContext {
  return { g: String(domain.domid), dm: domain.dmDomid === null ? null : String(domain.dmDomid) };
}
