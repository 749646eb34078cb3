import type { SamplePoint } from "@/lib/hosts/compaction";

const COLORS = ["#dc2626", "#d97706", "#2563eb", "#7c3aed", "#059669", "#db2777"];

/** Dependencies over time: one line per blocker rule (VMs affected), from the stored samples. */
export function DependencyChart({ points, labels, width = 640, height = 180 }: { points: SamplePoint[]; labels: Record<string, string>; width?: number; height?: number }) {
  if (points.length === 0) return <p className="text-sm text-muted">No stored reads yet: the chart fills in as the collector reads hosts (one sample a minute).</p>;
  const totals = new Map<string, number>();
  for (const p of points) for (const [k, v] of Object.entries(p.dependencies)) totals.set(k, Math.max(totals.get(k) ?? 0, v));
  const series = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, COLORS.length).map(([k]) => k);
  const pad = { l: 32, r: 8, t: 8, b: 20 };
  const t0 = points[0].at.getTime();
  const t1 = Math.max(points.at(-1)!.at.getTime(), t0 + 1);
  const max = Math.max(1, ...points.map((p) => Math.max(0, ...series.map((s) => p.dependencies[s] ?? 0))));
  const x = (t: number) => pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const fmt = (d: Date) => d.toISOString().slice(5, 16).replace("T", " ");
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full max-w-3xl" role="img" aria-label={`Dependencies over time, ${points.length} samples from ${fmt(points[0].at)} to ${fmt(points.at(-1)!.at)} UTC`}>
        <line x1={pad.l} y1={y(0)} x2={width - pad.r} y2={y(0)} stroke="currentColor" strokeOpacity={0.3} />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={y(0)} stroke="currentColor" strokeOpacity={0.3} />
        <text x={pad.l - 4} y={y(max) + 4} fontSize={10} textAnchor="end" fill="currentColor">{max}</text>
        <text x={pad.l - 4} y={y(0)} fontSize={10} textAnchor="end" fill="currentColor">0</text>
        <text x={pad.l} y={height - 4} fontSize={10} fill="currentColor">{fmt(points[0].at)}</text>
        <text x={width - pad.r} y={height - 4} fontSize={10} textAnchor="end" fill="currentColor">{fmt(points.at(-1)!.at)}</text>
        {series.map((s, i) => {
          const pts = points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.dependencies[s] ?? 0).toFixed(1)}`);
          return points.length === 1 ? (
            <circle key={s} cx={x(t0)} cy={y(points[0].dependencies[s] ?? 0)} r={3} fill={COLORS[i]} />
          ) : (
            <polyline key={s} points={pts.join(" ")} fill="none" stroke={COLORS[i]} strokeWidth={2} />
          );
        })}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 text-xs">
        {series.map((s, i) => (
          <span key={s}><svg className="mr-1 inline-block h-2 w-3" aria-hidden><rect width="100%" height="100%" fill={COLORS[i]} /></svg>{s}{labels[s] ? ` — ${labels[s]}` : ""} ({points.at(-1)!.dependencies[s] ?? 0} VMs now)</span>
        ))}
      </figcaption>
    </figure>
  );
}
