// Writes the add-in's icons (assets/icon-{16,32,64,80,128}.png): a blue rounded square with a
// white "H"; plus the unified manifest's color icon (192 px) and outline icon (32 px, white on
// transparent). Plain PNG encoding with zlib, 4×4 supersampling for smooth edges; run with node.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZES = [16, 32, 64, 80, 128];
const BLUE = [0x0f, 0x6c, 0xbd]; // Fluent's brand blue
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Where a point (unit square coordinates) falls: 0 outside, 1 square, 2 letter. */
function shapeAt(x, y) {
  const radius = 0.2;
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) return 0;
  const stem = 0.13;
  const inLetterBox = y >= 0.24 && y <= 0.76;
  const leftStem = x >= 0.27 && x <= 0.27 + stem;
  const rightStem = x >= 0.73 - stem && x <= 0.73;
  const bar = x >= 0.27 && x <= 0.73 && y >= 0.5 - stem / 2 && y <= 0.5 + stem / 2;
  return inLetterBox && (leftStem || rightStem || bar) ? 2 : 1;
}

function icon(size, outline = false) {
  const samples = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let px = 0; px < size; px++) {
      let alpha = 0;
      const color = [0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const shape = shapeAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (shape === 0 || (outline && shape !== 2)) continue;
          const rgb = shape === 2 ? WHITE : BLUE;
          alpha += 1;
          for (let i = 0; i < 3; i++) color[i] += rgb[i];
        }
      }
      const o = 1 + px * 4;
      for (let i = 0; i < 3; i++) row[o + i] = alpha ? Math.round(color[i] / alpha) : 0;
      row[o + 3] = Math.round((alpha / samples ** 2) * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of SIZES) {
  fs.writeFileSync(path.join(__dirname, `icon-${size}.png`), icon(size));
}
fs.writeFileSync(path.join(__dirname, 'icon-color-192.png'), icon(192));
fs.writeFileSync(path.join(__dirname, 'icon-outline-32.png'), icon(32, true));
