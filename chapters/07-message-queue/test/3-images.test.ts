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
    const cropped = await system.upload(image, 'crop:10:20:50:40');
    const both = await system.upload(image, 'crop:0:0:100:80,resize:25x20');
    await system.settled([resized, cropped, both], 20_000, 'the jobs were not done');
    const size = async (id: string) => {
      const { width, height } = await sharp((await system.call(`/jobs/${id}/result`)).body).metadata();
      return `${width}x${height}`;
    };
    expect(await size(resized), 'resize:60x30').toBe('60x30');
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

  it('answers bad uploads and unknown jobs with 4xx JSON', async () => {
    const system = await startSystem();
    const image = await noise(8, 8);
    const post = (query: string, body: Buffer | string, type = 'image/png') =>
      system.call(`/photos${query}`, { method: 'POST', body, headers: { 'content-type': type } });
    expectJsonError(await post('?ops=rotate:90', image), 400, 'an unknown operation');
    expectJsonError(await post('?ops=resize:0x10', image), 400, 'a zero width');
    expectJsonError(await post('?ops=resize:10', image), 400, 'a resize without a height');
    expectJsonError(await post('?ops=blur:abc', image), 400, 'a blur without a number');
    expectJsonError(await post('', image), 400, 'no operation at all');
    expectJsonError(
      await post('?ops=resize:8x8&owner=../etc', image),
      400,
      'an owner name that is not a plain name',
    );
    expectJsonError(await post('?ops=resize:8x8', Buffer.alloc(0)), 400, 'an empty body');
    expectJsonError(
      await post('?ops=resize:8x8', 'hello', 'text/plain'),
      415,
      'a body that is not an image type',
    );
    expectJsonError(
      await post('?ops=resize:8x8', Buffer.alloc(3 * 1024 * 1024)),
      413,
      'a 3 MiB upload (the limit is 2 MiB)',
    );
    expectJsonError(await system.call('/jobs/no-such-job'), 404, 'GET /jobs/:id for an unknown job');
    const accepted = await post('?ops=resize:4x4', image);
    expect(accepted.status, 'a good upload is accepted for later: 202').toBe(202);
    const jobId = accepted.json<{ jobId: string }>().jobId;
    expect(accepted.headers.location, 'and says where to follow the job: Location: /jobs/<id>').toBe(
      `/jobs/${jobId}`,
    );
    expectJsonError(
      await system.call('/jobs/no-such-job/result'),
      404,
      'GET /jobs/:id/result for an unknown job',
    );
    const queued = await system.upload(image, 'resize:4x4');
    expectJsonError(
      await system.call(`/jobs/${queued}/result`),
      409,
      'the result of a job that is not done yet',
    );
  });
});
