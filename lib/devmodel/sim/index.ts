/** The simulated Xen host (fleet, fake /proc, xenstored + QMP servers). */
export * from "./fleet";
export { FakeProc } from "./fakeproc";
export { startSimHost, type SimHost, type SimHostOptions, type SimChangeEvent, type SimChangeKind, type StepRequest } from "./host";
