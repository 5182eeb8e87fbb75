'use strict';
// Draws the Teams app icons (teams/color.png 192×192, teams/outline.png 32×32: white on transparent,
// as Teams requires): a speech bubble with three dots. Run once; the PNGs are committed.
//   node scripts/teams-icons.js
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** RGBA pixels (Uint8Array, width*height*4) to a PNG file. */
function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in a unit square (0..1), y down.
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inTail = (x, y) =>
  y >= 0.64 &&
  y <= 0.84 &&
  x >= 0.26 &&
  x <= 0.26 + (0.84 - y) * 1.1 &&
  x >= 0.26 + (y - 0.64) * 0.1;
const inBubble = (x, y) => inRoundRect(x, y, 0.16, 0.2, 0.84, 0.68, 0.12) || inTail(x, y);
const inDot = (x, y) =>
  [0.33, 0.5, 0.67].some((cx) => (x - cx) ** 2 + (y - 0.44) ** 2 <= 0.055 ** 2);

/** Coverage (0..1) of `inside` over a pixel, by 4×4 supersampling. */
function coverage(size, px, py, inside) {
  let n = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      if (inside((px + (i + 0.5) / 4) / size, (py + (j + 0.5) / 4) / size)) n++;
  return n / 16;
}

function colorIcon(size) {
  const out = new Uint8Array(size * size * 4);
  const bg = [0x1c, 0x5d, 0x99];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bubble = coverage(size, x, y, (u, v) => inBubble(u, v) && !inDot(u, v));
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round(bg[c] * (1 - bubble) + 255 * bubble);
      out[i + 3] = 255;
    }
  }
  return png(size, size, out);
}

function outlineIcon(size) {
  const out = new Uint8Array(size * size * 4);
  const stroke = 2.2 / size;
  const ring = (u, v) =>
    inBubble(u, v) &&
    !(
      inRoundRect(u, v, 0.16 + stroke, 0.2 + stroke, 0.84 - stroke, 0.68 - stroke, 0.12 - stroke) ||
      (inTail(u, v) && v < 0.68 - stroke)
    );
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(size, x, y, (u, v) => ring(u, v) || inDot(u, v));
      const i = (y * size + x) * 4;
      out[i] = out[i + 1] = out[i + 2] = 255;
      out[i + 3] = Math.round(255 * a);
    }
  }
  return png(size, size, out);
}

const dir = path.join(__dirname, '..', 'teams');
fs.writeFileSync(path.join(dir, 'color.png'), colorIcon(192));
fs.writeFileSync(path.join(dir, 'outline.png'), outlineIcon(32));
