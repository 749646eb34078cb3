import Link from "next/link";

/** Previous / next links that keep every other parameter of the current URL. */
export function Pager({ basePath, page, pageCount, total, params }: { basePath: string; page: number; pageCount: number; total: number; params: Record<string, string> }) {
  const href = (p: number) => {
    const sp = new URLSearchParams(Object.entries(params).filter(([k, v]) => k !== "page" && v !== ""));
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  const link = "rounded-md border border-border px-3 py-1.5 text-sm hover:bg-border";
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center gap-3">
      {page > 1 ? <Link href={href(page - 1)} className={link} rel="prev">Previous</Link> : <span className={`${link} opacity-50`} aria-disabled="true">Previous</span>}
      <span className="text-sm" aria-current="page">Page {page} of {pageCount} · {total} items</span>
      {page < pageCount ? <Link href={href(page + 1)} className={link} rel="next">Next</Link> : <span className={`${link} opacity-50`} aria-disabled="true">Next</span>}
    </nav>
  );
}
