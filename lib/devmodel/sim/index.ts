/** The simulated Xen host (fleet, fake /proc, xenstored + QMP servers). */
export * from "./fleet";
export { FakeProc } from "./fakeproc";
export { startSimHost, type SimHost, type SimHostOptions, type SimChangeEvent, type SimChangeKind, type StepRequest } from "./host";
export { startSimLab, readLabManifest, labHostName, labHostPaths, LAB_MANIFEST, type SimLab, type SimLabOptions, type LabHost, type LabManifest } from "./lab";
export { FLEET_PROFILES, LAB_PROFILE_CYCLE, isFleetProfileName, type FleetProfile, type FleetProfileName } from "./fleet/profiles";
