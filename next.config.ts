import type { NextConfig } from "next";

const config: NextConfig = {
  // Native modules stay outside the bundle (needed with --webpack, harmless with Turbopack).
  // prom-client too: one module instance, one registry, whichever bundle records or scrapes.
  serverExternalPackages: ["@prisma/adapter-better-sqlite3", "better-sqlite3", "pino", "mailparser", "prom-client"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
  experimental: { serverActions: { bodySizeLimit: "12mb" } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default config;
