/**
 * Container sniffing for uploaded videos. The Content-Type of an upload is whatever the client
 * declared; finalize reads the first bytes of the stored object (storage.readFirstBytes) and
 * accepts it only if they are a real video container header. Pure, no I/O, safe on any input.
 *
 * - MP4 / MOV (ISO base media / QuickTime): an `ftyp` box first, i.e. a 32-bit big-endian box
 *   size then the ASCII type `ftyp` at offset 4, then the major brand. Brand `qt  ` is
 *   QuickTime (.mov); the HEIF/AVIF image and M4A/M4B audio brands share the box but are not
 *   video, so they are refused; any other brand (isom, mp41, mp42, avc1, iso5, dash, 3gp...,
 *   camera brands) is MP4.
 * - WebM / Matroska: the EBML magic 1A 45 DF A3, then the EBML header, whose DocType element
 *   (ID 0x4282) says `webm` or `matroska`. If the DocType lies beyond the bytes given, it is
 *   reported as 'mkv' (the family); another DocType is refused.
 */

export type VideoContainer = 'mp4' | 'mov' | 'webm' | 'mkv';

/** How many leading bytes to read: every real ftyp box and EBML header fits. */
export const SIGNATURE_BYTES = 64;

/** The content type to serve for each container (e.g. as the presigned GET override). */
export const CONTAINER_CONTENT_TYPES: Record<VideoContainer, string> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
};

/** ftyp major brands that are still images or audio, not video. */
const NON_VIDEO_BRANDS = new Set([
  // HEIF / AVIF images and image sequences
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
  'avif',
  'avis',
  'avci',
  'jpeg',
  'jpgs',
  // audio-only MPEG-4
  'M4A ',
  'M4B ',
  'M4P ',
  'F4A ',
  'F4B ',
  // JPEG 2000
  'jp2 ',
  'jpx ',
  'jpm ',
  'mjp2',
  // Canon raw stills
  'crx ',
]);

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function detectIsoBmff(bytes: Uint8Array): 'mp4' | 'mov' | null {
  if (bytes.length < 12 || ascii(bytes, 4, 4) !== 'ftyp') return null;
  const boxSize = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  // size, type, major brand, minor version, then 4-byte compatible brands.
  if (boxSize < 16 || boxSize > 1024 || boxSize % 4 !== 0) return null;
  const major = ascii(bytes, 8, 4);
  if (!/^[\x20-\x7e]{4}$/.test(major)) return null;
  if (NON_VIDEO_BRANDS.has(major)) return null;
  return major === 'qt  ' ? 'mov' : 'mp4';
}

/** An EBML variable-length integer at `pos`: its byte length and value (marker bit removed). */
function readVint(bytes: Uint8Array, pos: number): { length: number; value: number; unknown: boolean } | null {
  if (pos >= bytes.length) return null;
  const first = bytes[pos];
  if (first === 0) return null; // longer than 8 bytes: invalid
  const length = Math.clz32(first) - 23; // 1..8
  if (pos + length > bytes.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[pos + i];
    if (bytes[pos + i] !== 0xff) allOnes = false;
  }
  return { length, value, unknown: allOnes };
}

/** An EBML element ID at `pos` (marker bit kept, as IDs are written in the specs). */
function readId(bytes: Uint8Array, pos: number): { length: number; id: number } | null {
  if (pos >= bytes.length) return null;
  const first = bytes[pos];
  if (first < 0x10) return null; // IDs are 1..4 bytes
  const length = Math.clz32(first) - 23;
  if (pos + length > bytes.length) return null;
  let id = 0;
  for (let i = 0; i < length; i++) id = id * 256 + bytes[pos + i];
  return { length, id };
}

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const DOCTYPE_ID = 0x4282;

function detectEbml(bytes: Uint8Array): 'webm' | 'mkv' | null {
  if (bytes.length < 4 || EBML_MAGIC.some((b, i) => bytes[i] !== b)) return null;
  const headerSize = readVint(bytes, 4);
  if (!headerSize) return 'mkv'; // magic present, header cut off: the family, not the flavour
  let pos = 4 + headerSize.length;
  const end = headerSize.unknown ? bytes.length : Math.min(bytes.length, pos + headerSize.value);
  while (pos < end) {
    const id = readId(bytes, pos);
    if (!id) break;
    const size = readVint(bytes, pos + id.length);
    if (!size || size.unknown) break;
    const dataStart = pos + id.length + size.length;
    if (id.id === DOCTYPE_ID) {
      if (dataStart + size.value > bytes.length) break;
      // Strings may be zero-padded.
      const docType = ascii(bytes, dataStart, size.value).replace(/\0+$/, '');
      if (docType === 'webm') return 'webm';
      if (docType === 'matroska') return 'mkv';
      return null;
    }
    pos = dataStart + size.value;
  }
  return 'mkv';
}

/** The container the bytes start with, or null if they are not a supported video container. */
export function detectVideoContainer(bytes: Uint8Array): VideoContainer | null {
  if (!(bytes instanceof Uint8Array)) return null;
  return detectIsoBmff(bytes) ?? detectEbml(bytes);
}
