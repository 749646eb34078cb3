/** How the device-model pages name things (server and client safe). */
export const DM_LABEL: Record<string, string> = {
  "qemu-xen-dom0": "qemu-xen (dom0)",
  "qemu-xen-stubdom": "stub domain",
  "qemu-xen-traditional": "qemu-xen-traditional",
  none: "none",
};
