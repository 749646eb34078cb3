/**
 * One SSH connection to one host, shared by everything read from it: the XenStore connection
 * and every QMP conversation are `direct-streamlocal@openssh.com` channels of it, /proc is one
 * SFTP session on it. Opened on first use; kept alive (SSH keep-alives, so a dead peer is
 * noticed); after a failure the next attempt waits a doubling backoff, and meanwhile every use
 * fails at once with the last error (a dead host costs its readers nothing but that error, and
 * nobody else anything: each host has its own connection).
 *
 * Nothing is ever run on the remote side: no exec, no shell — channels to unix sockets and
 * SFTP only, so no value from XenStore, QMP or a form can reach a command line.
 *
 * Key material: the private key file is read at each connect and handed to ssh2, never kept
 * here, logged, or put in an error message.
 */
import fs from "node:fs/promises";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { Client, type ConnectConfig, type NegotiatedAlgorithms } from "ssh2";
import {
  SSH_CONNECT_TIMEOUT_MS,
  SSH_KEEPALIVE_COUNT_MAX,
  SSH_KEEPALIVE_INTERVAL_MS,
  SSH_RECONNECT_INITIAL_MS,
  SSH_RECONNECT_MAX_MS,
  STREAM_CLOSE_GRACE_MS,
  checkTimeout,
} from "@/lib/devmodel/timeouts";
import { TransportAbortedError } from "@/lib/devmodel/transport";
import { SftpSession } from "./sftp-session";
import { connectCoalescing } from "./socket";
import { offeredHostKey, SshHostKeyError, type HostKeyVerifier, type OfferedHostKey } from "./host-key";
import { formatSshTarget, type SshTarget } from "./target";

/** Largest private key file read (an RSA-16384 PEM is ~12 KiB). */
const MAX_IDENTITY_BYTES = 64 * 1024;

export interface SshConnectionOptions {
  target: SshTarget;
  /** Private key file (OpenSSH or PEM format, unencrypted). Read at each connect. */
  identityFile?: string | null;
  /** ssh-agent socket (SSH_AUTH_SOCK). Tried after the identity file. */
  agent?: string | null;
  /** Decides about the server's host key: null trusts it, an error refuses the connection. */
  verifyHostKey: HostKeyVerifier;
  /** Host key algorithms in preference order (known_hosts: the known types first). */
  hostKeyAlgorithms?: string[];
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
}

/** A failure of the SSH layer, with a Node-style code (ETIMEDOUT, ECONNREFUSED, EAUTH, ECONNRESET, ECANCELED, …). */
export class SshError extends Error {
  override readonly name = "SshError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sshErrorOf(where: string, e: unknown): Error {
  if (e instanceof SshHostKeyError || e instanceof SshError) return e;
  const err = e as Error & { code?: unknown; level?: string };
  const msg = err instanceof Error ? err.message : String(e);
  if (err?.level === "client-authentication")
    return new SshError(
      "EAUTH",
      `ssh ${where}: authentication failed (no accepted key: check the identity file or the agent, and the account's authorized_keys)`,
    );
  const code = typeof err?.code === "string" ? err.code : err?.level === "client-timeout" ? "ETIMEDOUT" : "EPROTO";
  return new SshError(code, `ssh ${where}: ${msg}`);
}

export class SshConnection {
  readonly where: string;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private sftpP: Promise<SftpSession> | null = null;
  private retryAt = 0;
  private backoffMs: number;
  private lastError: Error | null = null;
  private closed = false;
  /** The host key the server offered on the last handshake (shown by "Test connection"). */
  lastOfferedKey: OfferedHostKey | null = null;
  /** The algorithms of the last handshake (kex, cipher, MAC, compression), for tests and the bench. */
  negotiated: NegotiatedAlgorithms | null = null;
  /** Sessions established so far (1 + reconnects). */
  sessions = 0;
  /** Channels opened (XenStore + QMP), for tests and the bench. */
  channelsOpened = 0;

  constructor(private readonly opts: SshConnectionOptions) {
    this.where = formatSshTarget(opts.target);
    checkTimeout(opts.connectTimeoutMs ?? SSH_CONNECT_TIMEOUT_MS, "ssh connect timeout");
    this.backoffMs = opts.reconnectInitialMs ?? SSH_RECONNECT_INITIAL_MS;
  }

  /** Whether a session is up right now. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** The last connect failure (cleared by a success). */
  get error(): Error | null {
    return this.lastError;
  }

  /** The session, connecting if needed; during the backoff after a failure, that failure at once. */
  ready(): Promise<Client> {
    if (this.closed) return Promise.reject(new SshError("ECANCELED", `ssh ${this.where}: connection closed`));
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    const wait = this.retryAt - Date.now();
    if (this.lastError && wait > 0) {
      const e = this.lastError;
      const again =
        e instanceof SshHostKeyError ? e : new SshError((e as SshError).code ?? "EPROTO", `${e.message} (next attempt in ${Math.ceil(wait / 100) / 10} s)`);
      return Promise.reject(again);
    }
    const p = this.dial().then(
      (c) => {
        this.connecting = null;
        if (this.closed) {
          c.end();
          throw new SshError("ECANCELED", `ssh ${this.where}: connection closed`);
        }
        this.client = c;
        this.sessions++;
        this.lastError = null;
        this.backoffMs = this.opts.reconnectInitialMs ?? SSH_RECONNECT_INITIAL_MS;
        return c;
      },
      (e: unknown) => {
        this.connecting = null;
        this.lastError = sshErrorOf(this.where, e);
        this.retryAt = Date.now() + this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, this.opts.reconnectMaxMs ?? SSH_RECONNECT_MAX_MS);
        throw this.lastError;
      },
    );
    this.connecting = p;
    return p;
  }

  private async dial(): Promise<Client> {
    const o = this.opts;
    const timeoutMs = o.connectTimeoutMs ?? SSH_CONNECT_TIMEOUT_MS;
    let privateKey: Buffer | undefined;
    if (o.identityFile) {
      try {
        const st = await fs.stat(o.identityFile);
        if (!st.isFile()) throw new SshError("ENOTREG", `identity ${o.identityFile} is not a regular file`);
        if (st.size > MAX_IDENTITY_BYTES) throw new SshError("EFBIG", `identity ${o.identityFile} is larger than ${MAX_IDENTITY_BYTES} bytes`);
        privateKey = await fs.readFile(o.identityFile);
      } catch (e) {
        if (e instanceof SshError) throw e;
        throw new SshError(
          (e as NodeJS.ErrnoException).code ?? "EIO",
          `cannot read identity ${o.identityFile}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
        );
      }
    }
    if (!privateKey && !o.agent) throw new SshError("EAUTH", `ssh ${this.where}: no identity file and no ssh-agent (SSH_AUTH_SOCK) to authenticate with`);
    return new Promise<Client>((resolve, reject) => {
      const c = new Client();
      let sock: Socket | null = null;
      let settled = false;
      let hostKeyError: SshHostKeyError | null = null;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        c.destroy();
        sock?.destroy(); // ssh2 leaves alone a socket it has not seen connect
        reject(hostKeyError ?? sshErrorOf(this.where, e));
      };
      const timer = setTimeout(() => fail(new SshError("ETIMEDOUT", `ssh ${this.where}: no session within ${timeoutMs} ms`)), timeoutMs);
      c.on("handshake", (n) => (this.negotiated = n));
      c.on("ready", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(c);
      });
      c.on("error", (e) => {
        if (!settled) return fail(e);
        this.lastError = sshErrorOf(this.where, e);
      });
      c.on("close", () => {
        if (!settled) return fail(new SshError("ECONNRESET", `ssh ${this.where}: connection closed during the handshake`));
        if (this.client === c) {
          this.client = null;
          this.sftpP = null;
        }
      });
      try {
        // Our own socket, so that the packets of one turn leave in one write (socket.ts).
        // Connecting already: ssh2 starts talking at once on a socket that is not connecting.
        sock = connectCoalescing(o.target.host, o.target.port);
      } catch (e) {
        return fail(e);
      }
      const config: ConnectConfig = {
        sock,
        username: o.target.user,
        privateKey,
        agent: o.agent ?? undefined,
        readyTimeout: timeoutMs,
        keepaliveInterval: o.keepaliveIntervalMs ?? SSH_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: o.keepaliveCountMax ?? SSH_KEEPALIVE_COUNT_MAX,
        hostVerifier: (blob: Buffer) => {
          const key = offeredHostKey(blob);
          this.lastOfferedKey = key;
          hostKeyError = o.verifyHostKey(key);
          return hostKeyError === null;
        },
        ...(o.hostKeyAlgorithms ? { algorithms: { serverHostKey: o.hostKeyAlgorithms as never } } : {}),
      };
      try {
        c.connect(config);
      } catch (e) {
        // ssh2 parses the key synchronously: its message names the problem, never the key.
        fail(new SshError("EKEY", `ssh ${this.where}: unusable identity: ${(e as Error).message}`));
      }
    });
  }

  /** A `direct-streamlocal@openssh.com` channel to a unix socket on the host. */
  async openStreamLocal(socketPath: string, signal?: AbortSignal): Promise<Duplex> {
    const address = `${this.where}:${socketPath}`;
    if (signal?.aborted) throw new TransportAbortedError(address);
    const c = await this.ready();
    if (signal?.aborted) throw new TransportAbortedError(address);
    return new Promise<Duplex>((resolve, reject) => {
      try {
        c.openssh_forwardOutStreamLocal(socketPath, (err, ch) => {
          if (err) {
            // sshd says only "open failed" (ENOENT and ECONNREFUSED look the same from here).
            return reject(Object.assign(new Error(`ssh ${address}: channel refused: ${err.message}`), { code: "ECONNREFUSED" }));
          }
          this.channelsOpened++;
          if (signal?.aborted) {
            ch.destroy();
            return reject(new TransportAbortedError(address));
          }
          resolve(ch);
        });
      } catch (e) {
        // The session went away between ready() and here.
        reject(new SshError("ECONNRESET", `ssh ${address}: ${(e as Error).message}`));
      }
    });
  }

  /** The connection's SFTP session (one, shared; reopened after it or the connection closes). */
  sftp(): Promise<SftpSession> {
    if (this.sftpP) return this.sftpP;
    const p = this.ready()
      .then(
        (c) =>
          new Promise<Duplex>((resolve, reject) => {
            try {
              c.subsys("sftp", (err, ch) => {
                if (err) return reject(new SshError("EPROTO", `ssh ${this.where}: no SFTP session: ${err.message}`));
                resolve(ch);
              });
            } catch (e) {
              reject(new SshError("ECONNRESET", `ssh ${this.where}: ${(e as Error).message}`));
            }
          }),
      )
      .then(async (ch) => {
        const s = await SftpSession.start(ch, this.where, this.opts.connectTimeoutMs ?? SSH_CONNECT_TIMEOUT_MS);
        s.onEnd = () => {
          if (this.sftpP === p) this.sftpP = null;
        };
        return s;
      });
    this.sftpP = p;
    p.catch(() => {
      if (this.sftpP === p) this.sftpP = null;
    });
    return p;
  }

  /** Drop the session now (tests: a connection cut under a read); the next use reconnects. */
  drop(): void {
    this.client?.destroy();
  }

  /** Close for good: channels end, no reconnect. */
  async close(): Promise<void> {
    this.closed = true;
    const c = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    this.sftpP = null;
    if (!c) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        c.destroy();
        resolve();
      }, STREAM_CLOSE_GRACE_MS);
      c.once("close", () => {
        clearTimeout(t);
        resolve();
      });
      c.end();
    });
  }
}
