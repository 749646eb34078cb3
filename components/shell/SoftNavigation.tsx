"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { KEEP_SCROLL, SOFT_LINK } from "@/components/ui/Link";

/**
 * Client navigation for the anchors components/ui/Link renders, with one click listener
 * for the document instead of a next/link per anchor (Link.tsx says why). It leaves to the
 * browser what a user asks of it: another tab or window (modifier keys, middle button,
 * target), a download, another origin, a jump within the page.
 */
export function SoftNavigation() {
  const router = useRouter();
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = e.target instanceof Element ? e.target.closest(`a[${SOFT_LINK}]`) : null;
      if (!(a instanceof HTMLAnchorElement) || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
      const url = new URL(a.href);
      if (url.origin !== location.origin) return;
      if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
      e.preventDefault();
      router.push(url.pathname + url.search + url.hash, { scroll: a.getAttribute(SOFT_LINK) !== KEEP_SCROLL });
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [router]);
  return null;
}
