// Builds MapLibre glyph ranges (PBF) for Vietnamese labels from Debian's Noto Sans, offline.
import fontnik from 'fontnik';
import fs from 'node:fs';
import path from 'node:path';

const STACKS = {'Noto Sans Regular': 'NotoSans-Regular.ttf', 'Noto Sans Bold': 'NotoSans-Bold.ttf'};
// Latin-1, Latin Extended-A/B (Đ, Ơ, Ư), combining marks, Latin Extended Additional (ạ…ỹ), punctuation
const RANGES = [0, 256, 768, 7680, 8192];
const FONTS = '/usr/share/fonts/truetype/noto';
const out = process.argv[2];

for (const [stack, file] of Object.entries(STACKS)) {
  const source = path.join(FONTS, file);
  if (!fs.existsSync(source)) {
    throw new Error(`${source} is missing: install the Debian package fonts-noto-core`);
  }
  const font = fs.readFileSync(source);
  fs.mkdirSync(path.join(out, stack), {recursive: true});
  for (const start of RANGES) {
    const target = path.join(out, stack, `${start}-${start + 255}.pbf`);
    if (fs.existsSync(target) && fs.statSync(target).mtimeMs > fs.statSync(source).mtimeMs) continue;
    const glyphs = await new Promise((resolve, reject) =>
      fontnik.range({font, start, end: start + 255}, (error, data) => (error ? reject(error) : resolve(data))));
    fs.writeFileSync(target, glyphs);
  }
}
