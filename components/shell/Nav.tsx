"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "/", label: "Dashboard" },
  { href: "/meetings", label: "Meetings" },
  { href: "/items", label: "Action items" },
  { href: "/people", label: "People" },
  { href: "/topics", label: "Topics" },
  { href: "/agenda", label: "Agenda" },
  { href: "/calendar", label: "Calendar" },
  { href: "/vms", label: "VMs" },
  { href: "/hosts", label: "Hosts" },
  { href: "/admin", label: "Admin", adminOnly: true },
];

export function Nav({ isAdmin }: { isAdmin: boolean }) {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-1">
      {ITEMS.filter((i) => !i.adminOnly || isAdmin).map((i) => {
        const active = i.href === "/" ? path === "/" : path.startsWith(i.href);
        return (
          <Link
            key={i.href}
            href={i.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm ${active ? "bg-indigo-700 text-white" : "hover:bg-border"}`}
          >
            {i.label}
          </Link>
        );
      })}
    </nav>
  );
}
