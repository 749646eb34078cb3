import type { NextConfig } from "next";
import { MAX_REQUEST_BYTES } from "./lib/limits";

const config: NextConfig = {
  // Native modules stay outside the bundle (needed with --webpack, harmless with Turbopack).
  // prom-client too: one module instance, one registry, whichever bundle records or scrapes.
  // ssh2 loads optional native crypto bindings (a .node asset a bundler cannot place).
  serverExternalPackages: ["@prisma/adapter-better-sqlite3", "better-sqlite3", "pino", "mailparser", "prom-client", "ssh2"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
  experimental: {
    // Both from the one upload limit (lib/limits.ts). The proxy's is one byte larger: it
    // truncates what is over its limit, and a truncated body must still be seen as too
    // large by the server action (a clear 413), not parsed as a broken form.
    serverActions: { bodySizeLimit: MAX_REQUEST_BYTES },
    proxyClientMaxBodySize: MAX_REQUEST_BYTES + 1,
  },
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
