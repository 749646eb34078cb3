import type { ComponentProps } from "react";

/** The attribute that marks the links components/shell/SoftNavigation navigates on the client. */
export const SOFT_LINK = "data-soft-link";
/** Its value for a link that keeps the scroll position (next/link's `scroll={false}`). */
export const KEEP_SCROLL = "keep-scroll";

/**
 * An in-app link: a plain anchor that components/shell/SoftNavigation (one listener for
 * the whole document) turns into a client navigation, as next/link would.
 *
 * Why not next/link: it is a client component with its own hooks per instance, which the
 * server renders for every link of every view, and the fleet and board tables have one or
 * more per row (a few per cent of /vms and / on the server: docs/perf-notes.md, fifth
 * pass). Its prefetching was already off here (each prefetch of a dynamic page renders
 * its layout on the server: ~48 requests per view of /vms); the main navigation (Nav.tsx)
 * keeps next/link and its prefetch, for its few, likely next pages.
 * Without JavaScript, or with a modifier key, the anchor works as any anchor does.
 */
export default function Link({
  href,
  scroll = true,
  ...rest
}: Omit<ComponentProps<"a">, "href"> & {
  href: string;
  /** false: stay where the page is scrolled (a control that changes part of the page). */
  scroll?: boolean;
}) {
  return <a href={href} {...{ [SOFT_LINK]: scroll ? "" : KEEP_SCROLL }} {...rest} />;
}
