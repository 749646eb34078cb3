import pino from "pino";

/**
 * Structured JSON logs. Secrets never reach them: the redact list covers the
 * fields that could carry one (passwords, tokens, cookies, auth headers).
 */
export const log = pino({
  name: "dmboard",
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "warn" : "info"),
  redact: {
    paths: [
      "password",
      "*.password",
      "token",
      "*.token",
      "secret",
      "*.secret",
      "headers.cookie",
      "headers.authorization",
      "*.headers.cookie",
      "*.headers.authorization",
    ],
    censor: "[redacted]",
  },
});
