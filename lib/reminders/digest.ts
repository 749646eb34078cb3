/** One person's digest as an e-mail: subject and plain text. Pure. */
import { formatLongDate } from "@/lib/minutes/dates";
import { trimEndChars, wrap } from "@/lib/minutes/text";

export interface DigestItem {
  id: string;
  text: string;
  dueDate: string;
  overdue: boolean;
  series: string;
}

export interface DigestData {
  name: string;
  email: string;
  /** Open items owned, overdue or due within dueSoonDays; overdue first, then by due date. */
  items: DigestItem[];
  /** Open items owned that are neither. */
  otherOpen: number;
  dueSoonDays: number;
  meeting: { title: string; when: string; agendaPath: string } | null;
}

const WIDTH = 72;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Whether there is anything worth a mail: an item due or overdue, or a meeting coming. */
export const worthSending = (d: DigestData) => d.items.length > 0 || d.meeting !== null;

export function composeDigest(d: DigestData, baseUrl: string): { subject: string; text: string } {
  const base = trimEndChars(baseUrl, "/");
  const overdue = d.items.filter((i) => i.overdue);
  const soon = d.items.filter((i) => !i.overdue);
  const counts = [overdue.length && `${overdue.length} overdue`, soon.length && `${soon.length} due soon`].filter(Boolean).join(", ");
  const subject = `[dmboard] ${counts || "No items due"}${d.meeting ? `; next meeting ${d.meeting.when}` : ""}`;

  const out: string[] = [`Hello ${d.name},`, ""];
  const list = (title: string, items: DigestItem[]) => {
    if (!items.length) return;
    out.push(`${title}:`, "");
    for (const i of items) {
      out.push(...wrap(`${i.text} (due ${formatLongDate(i.dueDate)}; ${i.series})`, { width: WIDTH, first: "* ", rest: "  " }));
      out.push(`  ${base}/items/${i.id}`);
    }
    out.push("");
  };
  if (d.items.length) {
    list("Overdue", overdue);
    list(`Due within ${plural(d.dueSoonDays, "day")}`, soon);
  } else out.push(`None of your open items is overdue or due within ${plural(d.dueSoonDays, "day")}.`, "");
  if (d.otherOpen > 0) out.push(`You have ${plural(d.otherOpen, "more open item")} without a date that close: ${base}/items?mine=1`, "");
  if (d.meeting) {
    out.push(...wrap(`Next meeting: ${d.meeting.title}, ${d.meeting.when}`, { width: WIDTH, first: "", rest: "  " }));
    out.push(`Agenda: ${base}${d.meeting.agendaPath}`, "");
  }
  out.push("-- ", "You get this digest because you asked for it. To stop it, switch it off", `on your account page: ${base}/account`);
  return { subject, text: `${out.join("\n")}\n` };
}
