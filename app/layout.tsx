import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "dmboard", template: "%s · dmboard" },
  description: "QEMU/Xen device-model working group: meetings, action items and live device-model state",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
