/** Calendar dates as the group writes them ("10th May 2017", "May 10, 2017", "2017-05-10"). */

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_RE = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY_RE = "(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)?";

export interface FoundDate {
  /** ISO calendar date YYYY-MM-DD. */
  iso: string;
  /** The matched text, as written. */
  text: string;
  start: number;
  end: number;
}

function monthIndex(name: string): number {
  const n = name.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(n));
}

function iso(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

const PATTERNS: { re: RegExp; build: (m: RegExpExecArray) => string | null }[] = [
  {
    re: new RegExp(`\\b${WEEKDAY_RE}(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_RE}\\.?,?\\s+(\\d{4})\\b`, "gi"),
    build: (m) => iso(+m[3], monthIndex(m[2]), +m[1]),
  },
  {
    re: new RegExp(`\\b${WEEKDAY_RE}${MONTH_RE}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "gi"),
    build: (m) => iso(+m[3], monthIndex(m[1]), +m[2]),
  },
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, build: (m) => iso(+m[1], +m[2] - 1, +m[3]) },
];

/** Every date in the text, in order of appearance. */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const d = p.build(m);
      if (d) out.push({ iso: d, text: m[0], start: m.index, end: m.index + m[0].length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The last date in a title or subject: "… meeting 10th May 2017". */
export function lastDate(text: string | null): FoundDate | null {
  if (!text) return null;
  const all = findDates(text);
  return all.length ? all[all.length - 1] : null;
}

function ordinal(d: number): string {
  if (d % 100 >= 11 && d % 100 <= 13) return `${d}th`;
  return `${d}${["th", "st", "nd", "rd"][d % 10] ?? "th"}`;
}

/** "2017-05-10" → "10th May 2017", the group's style. */
export function formatLongDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const month = MONTHS[m - 1];
  return `${ordinal(d)} ${month[0].toUpperCase()}${month.slice(1)} ${y}`;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
