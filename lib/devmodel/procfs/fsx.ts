/**
 * Promise wrappers over the callback fs API. fs/promises' readFile goes through a
 * FileHandle (open, fstat, read, close as four round trips plus a GC-tracked handle);
 * the callback version is markedly cheaper, which shows when a snapshot reads a few
 * thousand /proc files.
 */
import fs from "node:fs";

export function readFile(path: string, encoding: BufferEncoding): Promise<string> {
  return new Promise((resolve, reject) => fs.readFile(path, encoding, (e, d) => (e ? reject(e) : resolve(d))));
}

export function readlink(path: string): Promise<string> {
  return new Promise((resolve, reject) => fs.readlink(path, (e, d) => (e ? reject(e) : resolve(d))));
}

export function readdir(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => fs.readdir(path, (e, d) => (e ? reject(e) : resolve(d))));
}
