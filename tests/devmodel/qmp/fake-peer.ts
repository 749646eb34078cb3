/** A scriptable raw QMP peer that records every byte it receives. */
import net from "node:net";

export const GREETING = '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "test"}, "capabilities": ["oob"]}}\r\n';

export type Script = (sock: net.Socket, line: string, lines: string[]) => void;

export class FakePeer {
  readonly received: Buffer[] = [];
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  /** Sent on connect; null: send nothing. */
  greeting: string | Buffer | null = GREETING;
  /** Called for every line the client sends; default answers qmp_capabilities and echoes ids. */
  onLine: Script = (sock, line) => {
    const req = JSON.parse(line) as { execute: string; id?: unknown };
    sock.write(JSON.stringify({ return: {}, id: req.id }) + "\r\n");
  };

  constructor(readonly path: string) {
    this.server = net.createServer((sock) => {
      this.sockets.add(sock);
      sock.on("close", () => this.sockets.delete(sock));
      sock.on("error", () => {});
      const lines: string[] = [];
      let buf = "";
      sock.on("data", (d: Buffer) => {
        this.received.push(d);
        buf += d.toString();
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          lines.push(line);
          this.onLine(sock, line, lines);
        }
      });
      if (this.greeting !== null) sock.write(this.greeting);
    });
  }

  get bytes(): number {
    return this.received.reduce((n, b) => n + b.length, 0);
  }
  get text(): string {
    return Buffer.concat(this.received).toString();
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }
  dropClients(): void {
    for (const s of this.sockets) s.destroy();
  }
  close(): Promise<void> {
    this.dropClients();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
