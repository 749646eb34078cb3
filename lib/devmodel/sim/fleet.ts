/**
 * The simulated Xen host's content: `generateFleet({ vms, seed })` gives dom0, the
 * guests (with their XenStore nodes, QMP profiles and dom0 processes) as plain data.
 * See fleet/builder.ts for what a fleet contains and why.
 */
export { generateFleet, SPECIAL_RECIPES, type GuestRecipe } from "./fleet/builder";
export { subtreeRoots } from "./fleet/nodes";
export { DEFAULT_LIMITS, DEPRIV_LIMITS, RANGE_BASE_UID } from "./fleet/process";
export type { FleetSpec, GuestSpec, GuestKind, GuestTraits, PartialVariant, QmpSpec, FakeProcessSpec, XsNodeSpec, SecretSpec } from "./fleet/types";
