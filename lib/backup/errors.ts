/** Why a backup, restore or copy was refused or stopped. */
export type RefusalCode = "NOT_EMPTY" | "NEWER_SCHEMA" | "TARGET_AHEAD" | "CORRUPT" | "NOT_A_BACKUP" | "SHAPE" | "MISMATCH" | "SAME_DATABASE" | "EXISTS";

/** A restore, copy or backup that was refused or failed: the message says why and what to do. */
export class BackupError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "BackupError";
  }
}
