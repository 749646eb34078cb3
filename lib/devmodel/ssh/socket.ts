/**
 * The TCP socket under an SSH connection. ssh2 writes every SSH packet on its own (each SFTP
 * request, each batch of XenStore frames, each channel open, EOF and close), and a round of
 * reads of a 40-VM host sends over a thousand of them: one write syscall each was the reader's
 * largest single cost over SSH (docs/perf-notes.md, "SSH round"). This socket holds what is
 * written during one turn of the event loop and sends it as one writev when the turn ends (the
 * same turn: nothing waits for a timer, so no latency is added).
 *
 * Nagle is off (as OpenSSH does for interactive sessions): the writes are already coalesced,
 * and a request must not wait for the ACK of the previous one.
 */
import net from "node:net";

/** A TCP connection to host:port (connecting; errors come as its events) whose writes are coalesced per turn. */
export function connectCoalescing(host: string, port: number): net.Socket {
  const sock = new net.Socket();
  sock.connect({ host, port });
  sock.setNoDelay(true);
  // After connect(): net.Socket.connect puts Socket.prototype.write back on the instance.
  const write = sock.write;
  let uncorkQueued = false;
  const uncork = () => {
    uncorkQueued = false;
    sock.uncork();
  };
  sock.write = function (this: net.Socket, ...args: Parameters<net.Socket["write"]>) {
    if (!uncorkQueued) {
      uncorkQueued = true;
      sock.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as net.Socket["write"];
  return sock;
}
