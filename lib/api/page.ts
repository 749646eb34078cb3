/**
 * The read API's list envelope, the same on every list route: the rows, where this page
 * is, the total, and absolute `next`/`prev` links that keep the query's filters.
 */
import { NextResponse } from "next/server";

export interface ApiPage<T> {
  data: T[];
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
  /** Absolute URL of the next page with the same filters, or null on the last page. */
  next: string | null;
  /** Absolute URL of the previous page, or null on the first. */
  prev: string | null;
}

export function apiPage<T>(url: URL, data: T[], at: { page: number; pageSize: number; total: number }): ApiPage<T> {
  const pageCount = Math.max(1, Math.ceil(at.total / at.pageSize));
  const link = (p: number) => {
    const u = new URL(url);
    u.searchParams.set("page", String(p));
    return u.toString();
  };
  return {
    data,
    page: at.page,
    pageSize: at.pageSize,
    total: at.total,
    pageCount,
    next: at.page < pageCount ? link(at.page + 1) : null,
    prev: at.page > 1 ? link(Math.min(at.page - 1, pageCount)) : null,
  };
}

/** One page of a list held in memory (the collector's hosts and VMs). */
export function slicePage<T>(rows: readonly T[], page: number, pageSize: number): T[] {
  return rows.slice((page - 1) * pageSize, page * pageSize);
}

/** The JSON response of an API page: never cached (it is per user and changes). */
export function apiPageResponse<T>(page: ApiPage<T>): Response {
  return NextResponse.json(page, { headers: { "Cache-Control": "no-store" } });
}
