/**
 * Sending mail through SMTP_URL with nodemailer. Every wait is bounded, and no error
 * message that leaves this module carries the URL's password.
 */
import nodemailer from "nodemailer";
import { publicBaseUrl } from "@/lib/http/public-url";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export type SendFn = (mail: OutgoingMail) => Promise<{ messageId: string }>;

/** Connect, greeting and idle-socket limits: a dead or silent server fails the send, it never hangs the loop. */
export const SMTP_TIMEOUT_MS = 15_000;

/** SMTP_URL as shown to admins: scheme, host and port, never the credentials. */
export function smtpDisplay(url: string | undefined = process.env.SMTP_URL): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}`;
  } catch {
    return "(not a URL)";
  }
}

/** The sender: SMTP_FROM, else dmboard at the public URL's host. */
export function mailFrom(env: Record<string, string | undefined> = process.env): string {
  if (env.SMTP_FROM) return env.SMTP_FROM;
  return `dmboard <dmboard@${new URL(publicBaseUrl(env)).hostname}>`;
}

const scrub = (message: string, url: string) => {
  try {
    const pass = decodeURIComponent(new URL(url).password);
    return pass ? message.split(pass).join("***") : message;
  } catch {
    return message;
  }
};

/** A sender for SMTP_URL (smtp:// or smtps://, credentials in the URL), or null when it is not set. */
export function smtpSender(env: Record<string, string | undefined> = process.env): SendFn | null {
  const url = env.SMTP_URL;
  if (!url) return null;
  const transport = nodemailer.createTransport({ url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS });
  const from = mailFrom(env);
  return async (mail) => {
    try {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      return { messageId: String(info.messageId ?? "") };
    } catch (err) {
      // eslint-disable-next-line preserve-caught-error -- the cause may hold the SMTP password; only the scrubbed message goes on
      throw new Error(scrub(err instanceof Error ? err.message : String(err), url).slice(0, 500));
    }
  };
}
