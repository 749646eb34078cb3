export { QmpServer } from "./server";
export type { QmpServerMode, QmpServerOptions, QmpListenTarget } from "./server";
export { defaultProfile, xenQemuProfile, XEN_QMP_COMMANDS } from "./profile";
export type { QmpProfile, QmpSimReply, QmpChardevInfo } from "./profile";
export { qemuJson, QmpInputScanner } from "./wire";
export { QEMU_7_2_COMMANDS, QEMU_7_2_VERSION } from "./qemu-7.2";
export { XEN_QEMU_7_2_COMMANDS, XEN_QEMU_7_2_VERSION } from "./xen-qemu-7.2";
