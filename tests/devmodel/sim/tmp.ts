/** Short temp dirs for the simulator's sockets (sun_path < 108 bytes), on tmpfs when there is one. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function simTmpDir(tag: string): string {
  // /dev/shm is tmpfs: the fake /proc of a big fleet is ~8000 small files, slow on a busy disk.
  const base = fs.existsSync("/dev/shm") && fs.statSync("/dev/shm").isDirectory() ? "/dev/shm" : os.tmpdir();
  return fs.mkdtempSync(path.join(base, `dm-${tag}-`));
}

export function simPaths(dir: string) {
  return { socket: path.join(dir, "xs.sock"), qmpDir: path.join(dir, "qmp"), procDir: path.join(dir, "proc") };
}
