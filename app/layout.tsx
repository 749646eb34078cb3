import type { Metadata } from "next";
import { connection } from "next/server";
import { SoftNavigation } from "@/components/shell/SoftNavigation";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "dmboard", template: "%s · dmboard" },
  description: "QEMU/Xen device-model working group: meetings, action items and live device-model state",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, the not-found page too: its scripts need this
  // response's CSP nonce (proxy.ts), which a page prerendered at build time cannot carry.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        {children}
        <SoftNavigation />
      </body>
    </html>
  );
}
