/**
 * The work itself: the book's photo example (crop, resize, sharpen, blur) with sharp.
 * Operations are written `resize:64x48,blur:2,sharpen,crop:0:0:32:32` and applied in order.
 */
import sharp from 'sharp';

export type Operation =
  | { op: 'resize'; width: number; height: number }
  | { op: 'crop'; left: number; top: number; width: number; height: number }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen' };

const MAX_SIDE = 4000;

/** Parses an operation list; throws an Error with a message for people when it is not valid. */
export function parseOperations(text: string): Operation[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('no operation: use e.g. resize:64x64,blur:2');
  if (parts.length > 10) throw new Error('at most 10 operations');
  return parts.map((part): Operation => {
    const [name, ...args] = part.split(':');
    const ints = (values: (string | undefined)[], what: string) =>
      values.map((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > MAX_SIDE)
          throw new Error(`${part}: ${what} must be whole numbers from 0 to ${MAX_SIDE}`);
        return n;
      });
    switch (name) {
      case 'resize': {
        const [width, height] = ints((args[0] ?? '').split('x'), 'width x height');
        if (args.length !== 1 || !width || !height) throw new Error(`${part}: write resize:<width>x<height>`);
        return { op: 'resize', width, height };
      }
      case 'crop': {
        if (args.length !== 4) throw new Error(`${part}: write crop:<left>:<top>:<width>:<height>`);
        const [left = 0, top = 0, width = 0, height = 0] = ints(args, 'left, top, width and height');
        if (!width || !height) throw new Error(`${part}: width and height must be positive`);
        return { op: 'crop', left, top, width, height };
      }
      case 'blur': {
        const sigma = Number(args[0]);
        if (args.length !== 1 || !(sigma >= 0.3 && sigma <= 100))
          throw new Error(`${part}: write blur:<sigma from 0.3 to 100>`);
        return { op: 'blur', sigma };
      }
      case 'sharpen':
        if (args.length !== 0) throw new Error(`${part}: sharpen takes no argument`);
        return { op: 'sharpen' };
      default:
        throw new Error(`unknown operation "${name}": use resize, crop, blur or sharpen`);
    }
  });
}

/** Applies the operations in order and returns a PNG. Throws for an image sharp cannot read. */
export async function processImage(input: Buffer, operations: Operation[]): Promise<Buffer> {
  let image = sharp(input, { failOn: 'error' });
  for (const o of operations) {
    // Each step works on the previous step's output.
    image = sharp(await image.png().toBuffer());
    if (o.op === 'resize') image = image.resize(o.width, o.height, { fit: 'fill' });
    if (o.op === 'crop')
      image = image.extract({ left: o.left, top: o.top, width: o.width, height: o.height });
    if (o.op === 'blur') image = image.blur(o.sigma);
    if (o.op === 'sharpen') image = image.sharpen();
  }
  return image.png().toBuffer();
}
