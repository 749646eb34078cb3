import { AppShell } from "@/components/shell/AppShell";

// Addresses no page answers, in the same shell as the app (components/shell/AppShell).
// A group of their own, outside (app)'s loading state: a page under a loading state is
// streamed, and its 404 would be sent with status 200; here it is a real 404.
export default function MissingLayout({ children }: { children: React.ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
