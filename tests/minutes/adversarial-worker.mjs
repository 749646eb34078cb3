// Worker entry: Node cannot load TypeScript in a worker thread by itself, so register tsx first.
import { register } from "tsx/esm/api";

register();
await import("./adversarial-worker.ts");
