import NextLink from "next/link";
import type { ComponentProps } from "react";

/**
 * next/link, without prefetching by default. Next prefetches every link that scrolls into
 * view, and each prefetch of a dynamic page renders its layout on the server: a browser
 * opening /vms or /items made ~48 such requests per view (one per row), several times the
 * page's own cost. A click still navigates on the client; the main navigation (Nav.tsx)
 * keeps Next's prefetch, for its few, likely next pages.
 */
export default function Link({ prefetch = false, ...props }: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={prefetch} {...props} />;
}
