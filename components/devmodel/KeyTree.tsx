import type { VmAnalysis } from "@/lib/devmodel/analysis";
import { Badge } from "@/components/ui/Badge";
import { EmptyState } from "@/components/ui/EmptyState";
import { SeverityBadge } from "./Badges";

interface Node {
  name: string;
  path: string;
  value: string | null;
  children: Map<string, Node>;
}

/** Build a trie of the keys; chains of directories that are not keys themselves are folded into one line. */
function buildTree(keys: Record<string, string>): Node[] {
  const root: Node = { name: "", path: "", value: null, children: new Map() };
  for (const [path, value] of Object.entries(keys)) {
    let n = root;
    let p = "";
    for (const seg of path.split("/").slice(1)) {
      p = `${p}/${seg}`;
      let c = n.children.get(seg);
      if (!c) {
        c = { name: seg, path: p, value: null, children: new Map() };
        n.children.set(seg, c);
      }
      n = c;
    }
    n.value = value;
  }
  const fold = (n: Node): Node => {
    let cur = n;
    let name = n.name;
    while (cur.value === null && cur.children.size === 1) {
      cur = [...cur.children.values()][0];
      name = `${name}/${cur.name}`;
    }
    return { ...cur, name, children: new Map([...cur.children].map(([k, v]) => [k, fold(v)])) };
  };
  return [...fold({ ...root, name: "" }).children.values()];
}

type Rules = Map<string, { dependency: string; severity: string }>;

function KeyNode({ node, vm, rules }: { node: Node; vm: VmAnalysis; rules: Rules }) {
  const ruleId = node.value !== null ? vm.keyRules[node.path] : undefined;
  const isDir = node.children.size > 0;
  const rule = ruleId ? rules.get(ruleId) : undefined;
  const unclassified = node.value !== null && ruleId === null && !isDir;
  const sorted = [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return (
    <li data-key={node.path} data-rule={ruleId ?? (unclassified ? "unclassified" : "")}>
      <span className="font-mono text-xs" title={node.path}>
        {node.name}
      </span>
      {node.value !== null && node.value !== "" && <span className="ml-2 font-mono text-xs text-muted">= {JSON.stringify(node.value)}</span>}
      {ruleId && (
        <SeverityBadge severity={rule?.severity ?? "info"} title={rule?.dependency} className="ml-2">
          {ruleId}
        </SeverityBadge>
      )}
      {unclassified && (
        <Badge tone="warn" className="ml-2">
          unclassified
        </Badge>
      )}
      {isDir && (
        <ul className="ml-4 border-l border-border pl-2">
          {sorted.map((c) => (
            <KeyNode key={c.path} node={c} vm={vm} rules={rules} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The device-model keys of one VM as a tree, each key with the rule that classified it. */
export function KeyTree({ keys, vm, rules }: { keys: Record<string, string>; vm: VmAnalysis; rules: Rules }) {
  const roots = buildTree(keys);
  if (roots.length === 0) return <EmptyState>No device-model keys.</EmptyState>;
  return (
    <ul className="space-y-1" aria-label="Device-model keys">
      {roots.map((r) => (
        <KeyNode key={r.path} node={{ ...r, name: r.path }} vm={vm} rules={rules} />
      ))}
    </ul>
  );
}
