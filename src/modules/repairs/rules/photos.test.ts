import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { checkPhoto, sniffPhotoType, MAX_PHOTO_BYTES, MAX_PHOTO_EDGE, PHOTO_MESSAGES } from './photos.ts';

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 120, g: 80, b: 40 } } });

describe('checkPhoto', () => {
  test('strips EXIF (GPS, camera) from a JPEG and keeps it a JPEG', async () => {
    const input = await solid(64, 48).jpeg().withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    }).toBuffer();
    const before = await sharp(input).metadata();
    assert.ok(before.exif && before.exif.length > 0, 'the test photo has EXIF to strip');
    assert.ok(input.includes(Buffer.from('PhoneMaker')));

    const r = await checkPhoto(input, 'IMG_0001.jpg');
    assert.ok(r.ok);
    assert.equal(r.contentType, 'image/jpeg');
    assert.deepEqual([r.width, r.height], [64, 48]);
    const after = await sharp(r.bytes).metadata();
    assert.equal(after.format, 'jpeg');
    assert.equal(after.exif, undefined);
    assert.ok(!r.bytes.includes(Buffer.from('PhoneMaker')));
  });

  test('turns a photo the right way up from its EXIF orientation', async () => {
    // Stored 60 wide and 20 high, with orientation 6 (rotate 90° clockwise to view): it is really 20 wide, 60 high.
    const input = await solid(60, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const r = await checkPhoto(input, 'sideways.jpg');
    assert.ok(r.ok);
    assert.deepEqual([r.width, r.height], [20, 60]);
    assert.equal((await sharp(r.bytes).metadata()).orientation, undefined);
  });

  test('caps the long edge and keeps PNG and WebP as they are', async () => {
    const png = await checkPhoto(await solid(MAX_PHOTO_EDGE + 500, 300).png().toBuffer(), 'wide.png');
    assert.ok(png.ok);
    assert.equal(png.contentType, 'image/png');
    assert.equal(png.width, MAX_PHOTO_EDGE);
    assert.equal(png.height, Math.round((300 * MAX_PHOTO_EDGE) / (MAX_PHOTO_EDGE + 500)));
    const webp = await checkPhoto(await solid(30, 40).webp().toBuffer(), 'a.webp');
    assert.ok(webp.ok);
    assert.equal(webp.contentType, 'image/webp');
    assert.deepEqual([webp.width, webp.height], [30, 40]);
  });

  test('refuses a text file named .jpg, a GIF, and an empty file', async () => {
    assert.deepEqual(await checkPhoto(Buffer.from('this is not a photo\n'), 'photo.jpg'), { ok: false, message: 'The selected file must be a JPG, PNG or WebP' });
    const gif = await solid(4, 4).gif().toBuffer();
    assert.deepEqual(await checkPhoto(gif, 'a.gif'), { ok: false, message: PHOTO_MESSAGES.notImage });
    assert.deepEqual(await checkPhoto(Buffer.alloc(0), 'a.jpg'), { ok: false, message: 'The selected file is empty' });
  });

  test('refuses a file over 10MB before reading it', async () => {
    const big = Buffer.alloc(MAX_PHOTO_BYTES + 1);
    big.set([0xff, 0xd8, 0xff]);
    assert.deepEqual(await checkPhoto(big, 'big.jpg'), { ok: false, message: 'The selected file must be smaller than 10MB' });
  });

  test('refuses a truncated JPEG, and asks for a JPEG when a HEIC photo cannot be read', async () => {
    const jpeg = await solid(200, 200).jpeg().toBuffer();
    const cut = await checkPhoto(jpeg.subarray(0, 40), 'cut.jpg');
    assert.deepEqual(cut, { ok: false, message: PHOTO_MESSAGES.unreadable });
    // An ISO-BMFF header with a HEIC brand and nothing usable after it.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(40)]);
    assert.equal(sniffPhotoType(heic), 'heif');
    assert.deepEqual(await checkPhoto(heic, 'IMG_0002.HEIC'), { ok: false, message: 'The selected file must be a JPG, PNG or WebP: take or save the photo as a JPEG' });
  });
});
