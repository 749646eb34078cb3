import Link from "next/link";

/** Previous / next links that keep every filter of the current URL. */
export function Pagination({ page, pageCount, params }: { page: number; pageCount: number; params: Record<string, string> }) {
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const sp = new URLSearchParams(Object.entries(params).filter(([k, v]) => k !== "page" && v !== ""));
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `/meetings?${s}` : "/meetings";
  };
  const link = "rounded-md border border-border px-3 py-1.5 text-sm hover:bg-border";
  return (
    <nav aria-label="Pages" className="flex items-center gap-3">
      {page > 1 ? <Link href={href(page - 1)} className={link} rel="prev">Previous</Link> : <span className={`${link} opacity-50`} aria-disabled="true">Previous</span>}
      <span className="text-sm" aria-current="page">Page {page} of {pageCount}</span>
      {page < pageCount ? <Link href={href(page + 1)} className={link} rel="next">Next</Link> : <span className={`${link} opacity-50`} aria-disabled="true">Next</span>}
    </nav>
  );
}
