import { describe, expect, it } from 'vitest';
import { detectVideoContainer, SIGNATURE_BYTES } from './video-signature';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}
function concat(...parts: Array<Uint8Array | string>): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p))));
}
/** Pads like the rest of a real file would, so tests see exactly SIGNATURE_BYTES. */
function firstBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(SIGNATURE_BYTES, b.length));
  out.set(b);
  return out.subarray(0, SIGNATURE_BYTES);
}

// ffmpeg -f lavfi ... out.mp4: ftyp isom (size 0x20), then a free box and mdat.
const FFMPEG_MP4 = concat(
  hex('00000020'),
  'ftyp',
  'isom',
  hex('00000200'),
  'isom',
  'iso2',
  'avc1',
  'mp41',
  hex('00000008'),
  'free',
  hex('0003a1c8'),
  'mdat',
);
// Android camera: ftyp mp42 (size 0x18).
const ANDROID_MP4 = concat(hex('00000018'), 'ftyp', 'mp42', hex('00000000'), 'isom', 'mp42', hex('00000008'), 'wide');
// iPhone camera: ftyp qt (size 0x14), then wide/mdat.
const IPHONE_MOV = concat(hex('00000014'), 'ftyp', 'qt  ', hex('00000000'), 'qt  ', hex('00000008'), 'wide');
// Chrome MediaRecorder (video/webm;codecs=vp8): EBML header, DocType "webm", then Segment.
const CHROME_WEBM = hex(
  '1a45dfa3 9f 4286 81 01 42f7 81 01 42f2 81 04 42f3 81 08 4282 84 7765626d 4287 81 04 4285 81 02' +
    ' 18538067 01ffffffffffffff 1549a966 99 2ad7b1 83 0f4240',
);
// mkvmerge: 8-byte header size, DocType "matroska".
const MKVMERGE_MKV = hex(
  '1a45dfa3 0100000000000023 4286 81 01 42f7 81 01 42f2 81 04 42f3 81 08 4282 88 6d6174726f736b61' +
    ' 4287 81 04 4285 81 02 18538067 0100000000001234',
);

describe('detectVideoContainer', () => {
  it('reads at most SIGNATURE_BYTES, enough for the headers', () => {
    expect(SIGNATURE_BYTES).toBeGreaterThanOrEqual(48);
    expect(CHROME_WEBM.length).toBeLessThanOrEqual(SIGNATURE_BYTES);
  });

  it.each([
    ['ffmpeg mp4 (isom)', FFMPEG_MP4, 'mp4'],
    ['android mp4 (mp42)', ANDROID_MP4, 'mp4'],
    ['iPhone mov (qt)', IPHONE_MOV, 'mov'],
    ['Chrome webm', CHROME_WEBM, 'webm'],
    ['mkvmerge mkv', MKVMERGE_MKV, 'mkv'],
  ])('%s', (_name, bytes, expected) => {
    expect(detectVideoContainer(firstBytes(bytes))).toBe(expected);
    // Exactly the header, nothing after it, still works.
    expect(detectVideoContainer(bytes)).toBe(expected);
  });

  it('accepts other MP4 brands (3gp, dash, camera brands)', () => {
    for (const brand of ['3gp5', 'dash', 'iso5', 'M4V ', 'XAVC']) {
      const b = concat(hex('00000018'), 'ftyp', brand, hex('00000000'), brand, 'isom');
      expect(detectVideoContainer(b)).toBe('mp4');
    }
  });

  it('refuses ftyp files that are images or audio', () => {
    const heic = concat(hex('00000018'), 'ftyp', 'heic', hex('00000000'), 'mif1', 'heic');
    const avif = concat(hex('0000001c'), 'ftyp', 'avif', hex('00000000'), 'avif', 'mif1', 'miaf');
    const m4a = concat(hex('0000001c'), 'ftyp', 'M4A ', hex('00000000'), 'M4A ', 'isom', 'mp42');
    expect(detectVideoContainer(heic)).toBeNull();
    expect(detectVideoContainer(avif)).toBeNull();
    expect(detectVideoContainer(m4a)).toBeNull();
  });

  it('reports the Matroska family when the DocType is beyond the bytes read', () => {
    expect(detectVideoContainer(CHROME_WEBM.subarray(0, 20))).toBe('mkv');
    expect(detectVideoContainer(CHROME_WEBM.subarray(0, 4))).toBe('mkv');
  });

  it('refuses an EBML file of another DocType', () => {
    const other = hex('1a45dfa3 8b 4286 81 01 4282 86 666f6f626172');
    expect(detectVideoContainer(other)).toBeNull();
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['PNG', hex('89504e470d0a1a0a 0000000d 49484452 00000001 00000001 0806000000 1f15c489')],
    ['JPEG', hex('ffd8ffe000104a46494600010100000100010000')],
    ['PDF', concat('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj')],
    ['text', concat('hello world, this is not a video at all, just text\n')],
    ['text mentioning ftyp', concat('abcdftypisom and then some more text here')],
    ['zeros', new Uint8Array(64)],
    ['truncated mp4 (6 bytes)', FFMPEG_MP4.subarray(0, 6)],
    ['truncated mp4 (11 bytes)', FFMPEG_MP4.subarray(0, 11)],
    ['truncated EBML magic (3 bytes)', CHROME_WEBM.subarray(0, 3)],
    ['ftyp box with absurd size', concat(hex('7fffffff'), 'ftyp', 'isom', hex('00000000'))],
    ['ftyp box too small', concat(hex('00000008'), 'ftyp', 'isom', hex('00000000'))],
  ])('refuses %s', (_name, bytes) => {
    expect(detectVideoContainer(bytes)).toBeNull();
  });

  it('ignores the signature if it is not at the start', () => {
    expect(detectVideoContainer(concat(hex('00'), FFMPEG_MP4))).toBeNull();
    expect(detectVideoContainer(concat('x', CHROME_WEBM))).toBeNull();
  });
});
