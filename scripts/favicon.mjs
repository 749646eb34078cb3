#!/usr/bin/env node
// Writes app/favicon.ico from scripts/assets/favicon.svg (our own drawing: "dm" on the
// accent colour). Run by hand after changing the drawing: `node scripts/favicon.mjs`.
// An .ico because /favicon.ico is what browsers ask for and what proxy.ts lets through
// without a session (the sign-in page shows it too); each size is a PNG inside the .ico.
// sharp (Next's image library, installed with it) renders the SVG.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const svg = fs.readFileSync(path.join(root, "scripts/assets/favicon.svg"));
const sizes = [16, 32, 48];
const pngs = await Promise.all(
  sizes.map((s) =>
    sharp(svg, { density: 72 * (s / 32) * 4 })
      .resize(s, s)
      .png()
      .toBuffer(),
  ),
);

// ICONDIR (6 bytes), one ICONDIRENTRY (16 bytes) per image, then the images.
const header = Buffer.alloc(6 + 16 * sizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(sizes.length, 4);
let offset = header.length;
sizes.forEach((s, i) => {
  const e = 6 + 16 * i;
  header.writeUInt8(s, e);
  header.writeUInt8(s, e + 1);
  header.writeUInt16LE(1, e + 4); // colour planes
  header.writeUInt16LE(32, e + 6); // bits per pixel
  header.writeUInt32LE(pngs[i].length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += pngs[i].length;
});
fs.writeFileSync(path.join(root, "app/favicon.ico"), Buffer.concat([header, ...pngs]));
console.log(`app/favicon.ico: ${sizes.join(", ")} px, ${offset} bytes`);
