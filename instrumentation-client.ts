/**
 * Runs in the browser before the app's own code (Next.js). zod probes whether it may
 * compile parsers with `new Function`; under our CSP (no 'unsafe-eval', proxy.ts) the
 * probe is refused and reported as a CSP violation even though zod copes. jitless skips
 * the probe.
 */
import { z } from "zod";

z.config({ jitless: true });
