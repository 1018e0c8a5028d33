// A photo of a repair, checked and cleaned before it is kept. The type is read from the bytes (never the file's name
// or the browser's word for it), then the image is re-encoded by sharp: turned the right way up from its EXIF
// orientation, shrunk to at most 2000 pixels on its long edge, and written WITHOUT metadata. A phone's photo carries
// where it was taken (GPS), the device and the time; none of that is kept (sharp drops metadata unless asked to keep it).
import sharp from 'sharp';

/** The largest photo accepted, before re-encoding. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** The longest edge of a kept photo, in pixels. */
export const MAX_PHOTO_EDGE = 2000;
/** Images larger than this (in pixels) are refused unread: a small file can hold an enormous image. */
const MAX_INPUT_PIXELS = 100_000_000;

export type PhotoType = 'jpeg' | 'png' | 'webp' | 'heif';
export type PhotoResult =
  | { ok: true; bytes: Buffer; contentType: 'image/jpeg' | 'image/png' | 'image/webp'; width: number; height: number }
  | { ok: false; message: string };

export const PHOTO_MESSAGES = {
  empty: 'The selected file is empty',
  tooLarge: 'The selected file must be smaller than 10MB',
  notImage: 'The selected file must be a JPG, PNG or WebP',
  heif: 'The selected file must be a JPG, PNG or WebP: take or save the photo as a JPEG',
  unreadable: 'The selected file could not be read as a photo: try another, or take the photo again',
} as const;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/** The image type the bytes begin with, or null. */
export function sniffPhotoType(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  // ISO base media file: a box size, "ftyp", then the major brand.
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(bytes.toString('latin1', 8, 12))) return 'heif';
  return null;
}

/**
 * Checks a photo and returns it re-encoded without metadata, or a message for the resident (GOV.UK's file upload
 * wording). `name` is the file's name as uploaded: it never decides the type, it only helps say what to do with a
 * HEIC photo that is not recognised from its bytes.
 */
export async function checkPhoto(bytes: Buffer, name: string): Promise<PhotoResult> {
  if (bytes.length === 0) return { ok: false, message: PHOTO_MESSAGES.empty };
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, message: PHOTO_MESSAGES.tooLarge };
  const type = sniffPhotoType(bytes);
  if (!type) return { ok: false, message: /\.hei[cf]$/i.test(name) ? PHOTO_MESSAGES.heif : PHOTO_MESSAGES.notImage };
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_PHOTO_EDGE, height: MAX_PHOTO_EDGE, fit: 'inside', withoutEnlargement: true });
    // A HEIC photo becomes a JPEG (browsers other than Safari cannot show HEIC); the others keep their type.
    const encoded = type === 'png' ? image.png() : type === 'webp' ? image.webp({ quality: 85 }) : image.jpeg({ quality: 85, mozjpeg: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const contentType = type === 'png' ? 'image/png' : type === 'webp' ? 'image/webp' : 'image/jpeg';
    return { ok: true, bytes: data, contentType, width: info.width, height: info.height };
  } catch {
    // sharp's prebuilt binaries read HEIF only where libheif has the codec (usually not HEVC): ask for a JPEG.
    return { ok: false, message: type === 'heif' ? PHOTO_MESSAGES.heif : PHOTO_MESSAGES.unreadable };
  }
}
