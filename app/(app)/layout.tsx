import { AppShell } from "@/components/shell/AppShell";

// The signed-in shell (components/shell/AppShell). Each page still checks its own role
// (layouts are not re-run on every navigation, so they cannot be the guard).
export default function AppLayout({ children }: { children: React.ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
