/** The simulated Xen host (fleet, fake /proc, xenstored + QMP servers). */
export * from "./fleet";
export { FakeProc, writeFakeProc } from "./fakeproc";
export {
  startSimHost,
  qmpSocketName,
  type SimHost,
  type SimHostOptions,
  type SimChangeEvent,
  type SimChangeKind,
  type StepRequest,
} from "./host";
export { qmpProfileFor, qmpCommandsFor } from "./fleet/qmp-profile";
