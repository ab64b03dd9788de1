/**
 * Task 3 — the work: the book's photo example. Crop, resize, sharpen and blur, done by sharp in the workers.
 */

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { expectJsonError } from '#kit/expect';
import { noise, startSystem, variance } from './system.js';

describe('Image processing and the API around it', () => {
  it('resizes and crops to the asked dimensions', async () => {
    const system = await startSystem();
    system.spawnWorker();
    const image = await noise(120, 80);
    const resized = await system.upload(image, 'resize:60x30');
    const jpeg = await system.call('/photos?ops=resize:30x60&owner=ana', {
      method: 'POST',
      body: await sharp(image).jpeg().toBuffer(),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(jpeg.status, 'a JPEG upload (image/jpeg) is accepted').toBe(202);
    const fromJpeg = jpeg.json<{ jobId: string }>().jobId;
    const cropped = await system.upload(image, 'crop:10:20:50:40');
    const both = await system.upload(image, 'crop:0:0:100:80,resize:25x20');
    await system.settled([resized, fromJpeg, cropped, both], 20_000, 'the jobs were not done');
    const size = async (id: string) => {
      const { width, height } = await sharp((await system.call(`/jobs/${id}/result`)).body).metadata();
      return `${width}x${height}`;
    };
    expect(await size(resized), 'resize:60x30').toBe('60x30');
    expect(await size(fromJpeg), 'a JPEG, resize:30x60, gives a PNG of 30×60').toBe('30x60');
    expect(await size(cropped), 'crop:10:20:50:40 keeps a 50×40 region').toBe('50x40');
    expect(await size(both), 'operations apply in order: crop, then resize').toBe('25x20');
    const expected = await sharp(image)
      .extract({ left: 10, top: 20, width: 50, height: 40 })
      .raw()
      .toBuffer();
    const actual = await sharp((await system.call(`/jobs/${cropped}/result`)).body)
      .raw()
      .toBuffer();
    expect(
      actual.equals(expected),
      'crop:10:20:50:40 keeps the pixels of that region, starting 10 from the left, 20 from the top',
    ).toBe(true);
  });

  it('really blurs (pixel variance falls) and really sharpens (it rises)', async () => {
    const system = await startSystem();
    system.spawnWorker();
    const smooth = await sharp(await noise(96, 96, 5))
      .blur(2)
      .png()
      .toBuffer();
    const blurred = await system.upload(await noise(96, 96, 5), 'blur:3');
    const sharpened = await system.upload(smooth, 'sharpen');
    await system.settled([blurred, sharpened], 20_000, 'the jobs were not done');
    const before = await variance(await noise(96, 96, 5));
    const afterBlur = await variance((await system.call(`/jobs/${blurred}/result`)).body);
    expect(
      afterBlur,
      `blur:3 must smooth the noise: stdev ${before.toFixed(1)} → ${afterBlur.toFixed(1)}`,
    ).toBeLessThan(before * 0.5);
    const smoothStdev = await variance(smooth);
    const afterSharpen = await variance((await system.call(`/jobs/${sharpened}/result`)).body);
    expect(
      afterSharpen,
      `sharpen must raise the contrast of a soft image: stdev ${smoothStdev.toFixed(1)} → ${afterSharpen.toFixed(1)}`,
    ).toBeGreaterThan(smoothStdev);
  });

  it('answers bad uploads with 4xx JSON, and queues an image it cannot read as a job that will fail', async () => {
    const system = await startSystem();
    const image = await noise(8, 8);
    const post = (query: string, body: Buffer | string, type = 'image/png') =>
      system.call(`/photos${query}`, { method: 'POST', body, headers: { 'content-type': type } });
    const bad: [string, string][] = [
      ['?ops=rotate:90', 'an unknown operation'],
      ['?ops=resize:0x10', 'a zero width'],
      ['?ops=resize:10', 'a resize without a height'],
      ['?ops=resize:4001x10', 'a width over 4000'],
      ['?ops=crop:0:0:10', 'a crop with three numbers'],
      ['?ops=crop:0:0:0:10', 'a crop of zero width'],
      ['?ops=blur:abc', 'a blur without a number'],
      ['?ops=blur:0.2', 'a blur sigma under 0.3'],
      ['?ops=blur:101', 'a blur sigma over 100'],
      ['?ops=sharpen:2', 'sharpen with an argument'],
      [`?ops=${Array(11).fill('sharpen').join(',')}`, 'eleven operations (at most 10)'],
      ['', 'no operation at all'],
      ['?ops=resize:8x8&owner=../etc', 'an owner name that is not a plain name'],
      [`?ops=resize:8x8&owner=${'a'.repeat(41)}`, 'an owner name of 41 characters (1–40)'],
    ];
    for (const [query, what] of bad) expectJsonError(await post(query, image), 400, what);
    expectJsonError(await post('?ops=resize:8x8', Buffer.alloc(0)), 400, 'an empty body');
    expectJsonError(
      await post('?ops=resize:8x8', 'hello', 'text/plain'),
      415,
      'a body that is not an image type',
    );
    expectJsonError(await post('?ops=resize:8x8', '{"image":"no"}', 'application/json'), 415, 'a JSON body');
    expectJsonError(
      await post('?ops=resize:8x8', Buffer.alloc(3 * 1024 * 1024)),
      413,
      'a 3 MiB upload (the limit is 2 MiB)',
    );
    const limits = `?ops=resize:4000x1,${Array(9).fill('sharpen').join(',')}&owner=${'a'.repeat(40)}`;
    expect(
      (await post(limits, image)).status,
      'ten operations, a size of 4000 and a 40-letter owner are allowed',
    ).toBe(202);
    expect(
      (await post('?ops=crop:1:2:3:4,blur:0.3,blur:100,sharpen&owner=Ana_B-1', image)).status,
      'every operation at its limits, and an owner of letters, digits, _ and -',
    ).toBe(202);
    expect(
      (await post('?ops=resize:8x8', Buffer.alloc(1.9 * 1024 * 1024))).status,
      'an upload of 1.9 MiB is within the limit of 2 MiB',
    ).toBe(202);
    expect(
      (await post('?ops=resize:8x8', Buffer.from('not an image'))).status,
      'an image that cannot be read is not an error of the upload: the job is queued, and fails in the worker',
    ).toBe(202);
  });
});
