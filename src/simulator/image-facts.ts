// Width, height and average colour of an uploaded image, as ServiceNow fills sys_attachment's image_width,
// image_height and average_image_color (empty for files that are not images). Sizes are read from the PNG, GIF and
// JPEG headers; the average colour is computed for 8-bit RGB/RGBA PNGs, the common screenshot case.
import { inflateSync } from 'node:zlib';

export interface ImageFacts {
  readonly width: number;
  readonly height: number;
  /** `#rrggbb`, or '' when the pixels were not decoded. */
  readonly averageColor: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function imageFacts(bytes: Buffer): ImageFacts | undefined {
  try {
    if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return png(bytes);
    if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'GIF') return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8), averageColor: '' };
    if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes);
  } catch {
    // A damaged image is stored like any other file.
  }
  return undefined;
}

function png(bytes: Buffer): ImageFacts {
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  const interlace = bytes[28];
  const channels = colorType === 2 ? 3 : colorType === 6 ? 4 : 0;
  if (channels === 0 || bitDepth !== 8 || interlace !== 0 || width * height > 4_000_000) return { width, height, averageColor: '' };
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  const sums = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    unfilter(filter, line, previous, channels);
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) sums[c] += line[x * channels + c];
    previous = line;
  }
  const pixels = Math.max(1, width * height);
  const averageColor = '#' + sums.map((s) => Math.round(s / pixels).toString(16).padStart(2, '0')).join('');
  return { width, height, averageColor };
}

/** Reverses one PNG scanline filter in place (None, Sub, Up, Average, Paeth). */
function unfilter(filter: number, line: Buffer, previous: Buffer, bpp: number): void {
  for (let i = 0; i < line.length; i++) {
    const left = i >= bpp ? line[i - bpp] : 0;
    const up = previous[i];
    const upLeft = i >= bpp ? previous[i - bpp] : 0;
    let add = 0;
    if (filter === 1) add = left;
    else if (filter === 2) add = up;
    else if (filter === 3) add = (left + up) >> 1;
    else if (filter === 4) {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    line[i] = (line[i] + add) & 0xff;
  }
}

function jpeg(bytes: Buffer): ImageFacts | undefined {
  for (let at = 2; at + 9 < bytes.length; ) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    const length = bytes.readUInt16BE(at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5), averageColor: '' };
    }
    at += 2 + length;
  }
  return undefined;
}
