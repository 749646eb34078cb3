/**
 * The one rule for "this looks like a secret", and the masks built on it. A snapshot masks at
 * the source (issue 10, item 3): libxl writes the VNC password to `vncpasswd` under the vfb
 * backend the snapshot walks, a QEMU command line may carry `-object secret,data=…` or an rbd
 * `key=…`, and everything a snapshot holds reaches pages, the API, exports, the live stream and
 * `dm snapshot --json`. Masked values say so (MASK); the key stays listed.
 *
 * Pure and linear-time: no backtracking patterns, run on every key of every snapshot.
 */

/** What a masked value reads as. */
export const MASK = "[masked]";

/** Name parts that make a secret wherever they appear: vncpasswd, spice_password, api-token, secrets/. */
const SECRET_SUBSTRINGS = ["passw", "passphrase", "secret", "token", "credential", "privkey"];
/** Words that make a secret only as a whole word: `pass`, `key` — not `passthrough`, `keymap`. */
const SECRET_WORDS = new Set(["pass", "pwd", "psk", "key", "keys", "cookie", "apikey", "authkey"]);
/** Two-word names: private-key, api_key, access-key, session-key … */
const SECRET_KEY_QUALIFIERS = new Set(["private", "api", "access", "auth", "session", "secret", "encryption", "signing", "ssh"]);

/**
 * Does one name — a XenStore path component, an option name — name a secret?
 * Case-insensitive; words are split on anything that is not a letter or a digit.
 */
export function isSecretName(name: string): boolean {
  if (!MAYBE_SECRET.test(name)) return false;
  const n = name.toLowerCase();
  for (const s of SECRET_SUBSTRINGS) if (n.includes(s)) return true;
  const words = n.split(/[^a-z0-9]+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (SECRET_WORDS.has(w)) return true;
    if ((w === "key" || w === "keys") && i > 0 && SECRET_KEY_QUALIFIERS.has(words[i - 1])) return true;
  }
  return false;
}

/**
 * Every secret name contains one of these; a snapshot checks tens of thousands of paths and
 * almost none contains any, so this one linear test decides most of them.
 */
const MAYBE_SECRET = /pass|secret|token|credential|privkey|pwd|psk|key|cookie/i;

/** Does any component of a XenStore path name a secret (`…/vfb/3/0/vncpasswd`, `…/secrets/x`)? */
export function isSecretPath(path: string): boolean {
  if (!MAYBE_SECRET.test(path)) return false;
  for (const part of path.split("/")) if (part !== "" && isSecretName(part)) return true;
  return false;
}

/**
 * Mask the secret-looking parts inside a text: `name=value` pairs whose name is a secret (QEMU
 * option strings, rbd's `:key=…:`, query strings), the `data=` of a QEMU secret object, and the
 * password of a URL's user info. Everything else is returned unchanged (the same string when
 * nothing was masked).
 */
export function maskText(text: string): string {
  let out = text.includes("://") ? maskUrlPasswords(text) : text;
  // A pair is masked only when its name is secret-looking (or it is a secret object's data),
  // and either needs one of the words MAYBE_SECRET looks for: most texts stop here.
  if (out.includes("=") && MAYBE_SECRET.test(out)) out = maskPairs(out);
  return out;
}

/** Characters that end a `name=value` value: QEMU's `,`, rbd's `:`, `;`, `&`, whitespace. */
function isValueEnd(c: string): boolean {
  return c === "," || c === ":" || c === ";" || c === "&" || c === " " || c === "\t" || c === "\n" || c === "\r";
}
function isNameChar(c: string): boolean {
  return /[\w.-]/.test(c);
}

function maskPairs(text: string): string {
  // A QEMU secret object (`secret,id=s0,data=…`) keeps its secret in `data`.
  const secretObject = /^(?:secret|qom-type=secret)(?:,|$)/.test(text) || text.includes(",qom-type=secret");
  let out = "";
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) break;
    let start = eq;
    while (start > i && isNameChar(text[start - 1])) start--;
    const name = text.slice(start, eq);
    let end = eq + 1;
    while (end < text.length) {
      const c = text[end];
      // QEMU escapes a comma inside a value by doubling it.
      if (c === "," && text[end + 1] === ",") {
        end += 2;
        continue;
      }
      if (isValueEnd(c)) break;
      end++;
    }
    const secret = name !== "" && (isSecretName(name) || (secretObject && name === "data"));
    out += text.slice(i, eq + 1) + (secret && end > eq + 1 ? MASK : text.slice(eq + 1, end));
    i = end;
  }
  return out + text.slice(i);
}

/** `scheme://user:password@host` → `scheme://user:[masked]@host`. */
function maskUrlPasswords(text: string): string {
  let out = "";
  let i = 0;
  for (let sep = text.indexOf("://"); sep >= 0; sep = text.indexOf("://", i)) {
    const authStart = sep + 3;
    let authEnd = authStart;
    while (authEnd < text.length && !"/?# \t\n".includes(text[authEnd])) authEnd++;
    const auth = text.slice(authStart, authEnd);
    const at = auth.lastIndexOf("@");
    const colon = at >= 0 ? auth.indexOf(":") : -1;
    out += text.slice(i, authStart);
    out += colon >= 0 && colon < at ? `${auth.slice(0, colon + 1)}${MASK}${auth.slice(at)}` : auth;
    i = authEnd;
  }
  return out + text.slice(i);
}

/**
 * A XenStore value as a snapshot keeps it: the whole value masked when the path names a secret
 * (an empty value stays empty: there is nothing to hide, and "no password set" is worth
 * seeing), otherwise with secret-looking parts masked.
 */
export function maskXenStoreValue(path: string, value: string): string {
  if (isSecretPath(path)) return value === "" ? value : MASK;
  return maskText(value);
}

/**
 * A command line with its secrets masked: in each argument's `name=value` parts, and the
 * argument after a `--password`-style option. Returns the same array when nothing changed.
 */
export function maskArgv(argv: readonly string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let m = maskText(a);
    const prev = i > 0 ? argv[i - 1] : "";
    if (a !== "" && a[0] !== "-" && prev[0] === "-" && !prev.includes("=") && isSecretName(prev)) m = MASK;
    if (m !== a) {
      out ??= argv.slice();
      out[i] = m;
    }
  }
  return out ?? (argv as string[]);
}
