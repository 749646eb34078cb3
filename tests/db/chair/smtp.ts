/**
 * Starts the real SMTP server the reminder tests send through (tests/fixtures/smtp,
 * Debian's python3-aiosmtpd) and reads what it accepted from its Maildir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";

export interface SmtpSink {
  port: number;
  url: string;
  /** Every message accepted so far, oldest first. */
  messages(): Promise<ParsedMail[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startSmtpSink(opts: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-smtp-"));
  const maildir = path.join(dir, "Maildir");
  const port = await freePort();
  const args = [path.join(import.meta.dirname, "..", "..", "fixtures", "smtp", "smtp_sink.py"), "--port", String(port), "--maildir", maildir];
  if (opts.user) args.push("--user", opts.user, "--password", opts.password ?? "");
  const child: ChildProcess = spawn("/usr/bin/python3", args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (b) => (stderr += b));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`aiosmtpd did not start: ${stderr}`)), 15_000);
    child.stdout!.on("data", (b) => {
      if (String(b).includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`aiosmtpd exited ${code}: ${stderr}`));
    });
  });
  const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password ?? "")}@` : "";
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    async messages() {
      const files = ["new", "cur"].flatMap((sub) => {
        const d = path.join(maildir, sub);
        return fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : [];
      });
      const mails = await Promise.all(files.map((f) => simpleParser(fs.readFileSync(f))));
      return mails.sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0));
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.stdin!.end();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
