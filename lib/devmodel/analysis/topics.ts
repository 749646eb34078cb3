/**
 * The working group's topic slugs (2017-05-10 minutes). Every XenStore rule and every
 * QMP fact points at one of them so the dashboard can link a finding to its topic page.
 */
export const TOPIC_SLUGS = [
  "xenstore-removal",
  "physmap-keys",
  "log-dirty",
  "shutdown-keys",
  "vnc-clipboard",
  "cd-insert-fd",
  "emulated-hotplug",
  "dm-op-continuations",
  "libxl-two-qemu-split",
  "qemu-depriv",
  "xs-restrict",
] as const;

export type TopicSlug = (typeof TOPIC_SLUGS)[number];

export function isTopicSlug(s: string): s is TopicSlug {
  return (TOPIC_SLUGS as readonly string[]).includes(s);
}
