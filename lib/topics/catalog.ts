/**
 * The group's workstreams, as named in its minutes; seeded on every start.
 *
 * Who owns what: the list of slugs is the device-model analysis' (lib/devmodel/analysis/
 * topics.ts, TOPIC_SLUGS), because every XenStore rule and QMP fact must name one and
 * lib/devmodel stays free of the web side. This catalogue adds what people read (name,
 * description) and is typed by that list, so a slug can be neither missing here nor
 * extra: the compiler refuses both. Pure constants.
 */
import { TOPIC_SLUGS, type TopicSlug } from "@/lib/devmodel/analysis/topics";

const CATALOG: Record<TopicSlug, { name: string; description: string }> = {
  "xenstore-removal": { name: "XenStore removal", description: "Take QEMU off XenStore for HVM guests (keep it for the PV backends only)." },
  "physmap-keys": {
    name: "Physmap keys",
    description: "device-model/<g>/physmap keys, written by QEMU built for Xen < 4.10; to be replaced by a new foreign-map call.",
  },
  "log-dirty": { name: "Log-dirty", description: "Start/stop log-dirty through XenStore (qemu-traditional) versus QMP xen-set-global-dirty-log." },
  "shutdown-keys": { name: "Shutdown keys", description: "control/shutdown and related keys used by the device model." },
  "vnc-clipboard": { name: "VNC clipboard", description: "XenServer's XenStore-based VNC clipboard; plan: a shared page." },
  "cd-insert-fd": { name: "CD insert by fd", description: "Insert CD media by passing a file descriptor over QMP (add-fd) so a chrooted QEMU can use it." },
  "emulated-hotplug": { name: "Emulated hotplug", description: "Device hotplug through QMP with fds instead of XenStore command/parameter." },
  "dm-op-continuations": { name: "dm-op continuations", description: "Continuation support for long-running dm-op sub-ops." },
  "libxl-two-qemu-split": { name: "libxl two-QEMU split", description: "libxl starting and stopping two QEMUs (one depriv for HVM, one for PV backends)." },
  "qemu-depriv": { name: "QEMU depriv", description: "Run the device model deprivileged: domid-restrict, own uid, chroot, namespaces, rlimits." },
  "xs-restrict": { name: "xs-restrict", description: "XenStore restriction (prefixing command) as an intermediate plan." },
};

/** Every topic, in the analysis' order. */
export const DEFAULT_TOPICS: readonly { slug: TopicSlug; name: string; description: string }[] = TOPIC_SLUGS.map((slug) => ({ slug, ...CATALOG[slug] }));

export { TOPIC_SLUGS, isTopicSlug, type TopicSlug } from "@/lib/devmodel/analysis/topics";
