/** The group's workstreams, as named in its minutes. Seeded on first start. */
export const DEFAULT_TOPICS = [
  { slug: "xenstore-removal", name: "XenStore removal", description: "Take QEMU off XenStore for HVM guests (keep it for the PV backends only)." },
  { slug: "physmap-keys", name: "Physmap keys", description: "device-model/<g>/physmap keys, written by QEMU built for Xen < 4.10; to be replaced by a new foreign-map call." },
  { slug: "log-dirty", name: "Log-dirty", description: "Start/stop log-dirty through XenStore (qemu-traditional) versus QMP xen-set-global-dirty-log." },
  { slug: "shutdown-keys", name: "Shutdown keys", description: "control/shutdown and related keys used by the device model." },
  { slug: "vnc-clipboard", name: "VNC clipboard", description: "XenServer's XenStore-based VNC clipboard; plan: a shared page." },
  { slug: "cd-insert-fd", name: "CD insert by fd", description: "Insert CD media by passing a file descriptor over QMP (add-fd) so a chrooted QEMU can use it." },
  { slug: "emulated-hotplug", name: "Emulated hotplug", description: "Device hotplug through QMP with fds instead of XenStore command/parameter." },
  { slug: "dm-op-continuations", name: "dm-op continuations", description: "Continuation support for long-running dm-op sub-ops." },
  { slug: "libxl-two-qemu-split", name: "libxl two-QEMU split", description: "libxl starting and stopping two QEMUs (one depriv for HVM, one for PV backends)." },
  { slug: "qemu-depriv", name: "QEMU depriv", description: "Run the device model deprivileged: domid-restrict, own uid, chroot, namespaces, rlimits." },
  { slug: "xs-restrict", name: "xs-restrict", description: "XenStore restriction (prefixing command) as an intermediate plan." },
] as const;
