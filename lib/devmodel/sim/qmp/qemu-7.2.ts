/**
 * Data recorded from Debian's QEMU 7.2.22 (qemu-system-x86_64), from
 * /work/shared/reference/qmp-samples: what the simulated server answers by default.
 */

/** query-commands of QEMU 7.2.22 (x86_64), names only (sorted; QEMU itself sends them in hash order). */
export const QEMU_7_2_COMMANDS: readonly string[] = Object.freeze([
  "add-fd", "add_client", "announce-self", "balloon", "block-commit", "block-dirty-bitmap-add",
  "block-dirty-bitmap-clear", "block-dirty-bitmap-disable", "block-dirty-bitmap-enable",
  "block-dirty-bitmap-merge", "block-dirty-bitmap-remove", "block-export-add", "block-export-del",
  "block-job-cancel", "block-job-complete", "block-job-dismiss", "block-job-finalize",
  "block-job-pause", "block-job-resume", "block-job-set-speed", "block-latency-histogram-set",
  "block-set-write-threshold", "block-stream", "block_resize", "block_set_io_throttle",
  "blockdev-add", "blockdev-backup", "blockdev-change-medium", "blockdev-close-tray",
  "blockdev-create", "blockdev-del", "blockdev-insert-medium", "blockdev-mirror",
  "blockdev-open-tray", "blockdev-remove-medium", "blockdev-reopen", "blockdev-snapshot",
  "blockdev-snapshot-delete-internal-sync", "blockdev-snapshot-internal-sync",
  "blockdev-snapshot-sync", "calc-dirty-rate", "cancel-vcpu-dirty-limit", "change-backing-file",
  "change-vnc-password", "chardev-add", "chardev-change", "chardev-remove", "chardev-send-break",
  "client_migrate_info", "closefd", "cont", "device-list-properties", "device_add", "device_del",
  "display-reload", "display-update", "drive-backup", "drive-mirror", "dump-guest-memory",
  "dumpdtb", "eject", "expire_password", "getfd", "human-monitor-command", "inject-nmi",
  "input-send-event", "job-cancel", "job-complete", "job-dismiss", "job-finalize", "job-pause",
  "job-resume", "memsave", "migrate", "migrate-continue", "migrate-incoming", "migrate-pause",
  "migrate-recover", "migrate-set-capabilities", "migrate-set-parameters",
  "migrate-start-postcopy", "migrate_cancel", "nbd-server-add", "nbd-server-remove",
  "nbd-server-start", "nbd-server-stop", "netdev_add", "netdev_del", "object-add", "object-del",
  "pmemsave", "qmp_capabilities", "qom-get", "qom-list", "qom-list-properties", "qom-list-types",
  "qom-set", "query-acpi-ospm-status", "query-balloon", "query-block", "query-block-exports",
  "query-block-jobs", "query-blockstats", "query-chardev", "query-chardev-backends",
  "query-colo-status", "query-command-line-options", "query-commands", "query-cpu-definitions",
  "query-cpu-model-expansion", "query-cpus-fast", "query-current-machine", "query-dirty-rate",
  "query-display-options", "query-dump", "query-dump-guest-memory-capability", "query-fdsets",
  "query-hotpluggable-cpus", "query-iothreads", "query-jobs", "query-kvm", "query-machines",
  "query-memdev", "query-memory-devices", "query-memory-size-summary", "query-mice",
  "query-migrate", "query-migrate-capabilities", "query-migrate-parameters", "query-name",
  "query-named-block-nodes", "query-pci", "query-pr-managers", "query-qmp-schema", "query-replay",
  "query-rocker", "query-rocker-of-dpa-flows", "query-rocker-of-dpa-groups", "query-rocker-ports",
  "query-rx-filter", "query-sev", "query-sev-attestation-report", "query-sev-capabilities",
  "query-sev-launch-measure", "query-sgx", "query-sgx-capabilities", "query-spice", "query-stats",
  "query-stats-schemas", "query-status", "query-target", "query-tpm", "query-tpm-models",
  "query-tpm-types", "query-uuid", "query-vcpu-dirty-limit", "query-version",
  "query-vm-generation-id", "query-vnc", "query-vnc-servers", "query-xen-replication-status",
  "query-yank", "quit", "remove-fd", "replay-break", "replay-delete-break", "replay-seek",
  "ringbuf-read", "ringbuf-write", "rtc-reset-reinjection", "screendump", "send-key", "set-action",
  "set-numa-node", "set-vcpu-dirty-limit", "set_link", "set_password", "sev-inject-launch-secret",
  "snapshot-delete", "snapshot-load", "snapshot-save", "stop", "system_powerdown", "system_reset",
  "system_wakeup", "trace-event-get-state", "trace-event-set-state", "transaction",
  "watchdog-set-action", "x-blockdev-amend", "x-blockdev-change", "x-blockdev-set-iothread",
  "x-colo-lost-heartbeat", "x-debug-block-dirty-bitmap-sha256", "x-debug-query-block-graph",
  "x-exit-preconfig", "x-query-irq", "x-query-jit", "x-query-numa", "x-query-opcount",
  "x-query-profile", "x-query-ramblock", "x-query-rdma", "x-query-roms", "x-query-usb",
  "x-query-virtio", "x-query-virtio-queue-element", "x-query-virtio-queue-status",
  "x-query-virtio-status", "x-query-virtio-vhost-queue-status", "xen-colo-do-checkpoint",
  "xen-load-devices-state", "xen-save-devices-state", "xen-set-global-dirty-log",
  "xen-set-replication", "yank",
]);

/** query-command-line-options option names of QEMU 7.2.22 ("" is QEMU's own unnamed group). */
export const QEMU_7_2_OPTION_NAMES: readonly string[] = Object.freeze([
  "", "accel", "acpi", "action", "add-fd", "boot-opts", "chardev", "device", "drive", "fsdev",
  "fw_cfg", "global", "icount", "iscsi", "machine", "memory", "mon", "msg", "name", "net",
  "netdev", "nic", "numa", "object", "option-rom", "overcommit", "plugin", "rtc", "sandbox",
  "smbios", "smp-opts", "tpmdev", "trace", "virtfs", "vnc",
]);

/** query-command-line-options {"option": "name"}: the only option with its parameters recorded. */
export const QEMU_7_2_OPTION_NAME_PARAMETERS = [
  {
    "name": "debug-threads",
    "help": "When enabled, name the individual threads; defaults off.\nNOTE: The thread names are for debugging and not a\nstable API.",
    "type": "boolean"
  },
  {
    "name": "process",
    "help": "Sets the name of the QEMU process, as shown in top etc",
    "type": "string"
  },
  {
    "name": "guest",
    "help": "Sets the name of the guest.\nThis name will be displayed in the SDL window caption.\nThe name will also be used for the VNC server",
    "type": "string"
  }
] as const;

export const QEMU_7_2_VERSION = {
  qemu: { micro: 22, minor: 2, major: 7 },
  package: "Debian 1:7.2+dfsg-7+deb12u18+b3",
} as const;

