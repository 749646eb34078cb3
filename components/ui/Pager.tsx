import Link from "@/components/ui/Link";

const link = "rounded-md border border-border px-3 py-1.5 text-sm hover:bg-border";

/** Previous / next links that keep every other parameter of the current URL; nothing when there is one page. */
export function Pager({
  basePath,
  page,
  pageCount,
  params,
}: {
  basePath: string;
  page: number;
  pageCount: number;
  params: Record<string, string | undefined>;
}) {
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const sp = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[0] !== "page" && e[1] !== undefined && e[1] !== ""));
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center gap-3">
      {page > 1 ? (
        <Link href={href(page - 1)} className={link} rel="prev">
          Previous
        </Link>
      ) : (
        <span className={`${link} text-muted`} aria-disabled="true">
          Previous
        </span>
      )}
      <span className="text-sm" aria-current="page">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link href={href(page + 1)} className={link} rel="next">
          Next
        </Link>
      ) : (
        <span className={`${link} text-muted`} aria-disabled="true">
          Next
        </span>
      )}
    </nav>
  );
}
