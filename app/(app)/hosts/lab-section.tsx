import path from "node:path";
import { RegisterLabForm } from "@/components/devmodel/RegisterLabForm";
import { dataDir } from "@/lib/db/config";
import { simLabDir } from "@/lib/devmodel/sim-defaults";
import { registerLabAction } from "./lab-actions";

/** Admins: every host of a running simulator lab in one step. */
export function LabSection() {
  return (
    <section aria-labelledby="register-lab">
      <h2 id="register-lab" className="mb-1 text-lg font-semibold">
        Register a simulator lab
      </h2>
      <p className="mb-3 text-sm text-muted">
        <code>npm run sim -- --hosts N --vms M --dir D</code> serves N simulated dom0s and lists them in D/hosts.json: register them all at once.
      </p>
      <RegisterLabForm action={registerLabAction} example={path.join(simLabDir(dataDir()), "hosts.json")} />
    </section>
  );
}
