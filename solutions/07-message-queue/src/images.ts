/**
 * The work itself: the book's photo example (crop, resize, sharpen, blur) with sharp.
 * Operations are written `resize:64x48,blur:2,sharpen,crop:0:0:32:32` and applied in order.
 * Each operation has its parser and its step; parseOperations and processImage go through the list.
 */
import sharp, { type Sharp } from 'sharp';

export type Operation =
  | { op: 'resize'; width: number; height: number }
  | { op: 'crop'; left: number; top: number; width: number; height: number }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen' };

export const MAX_OPERATIONS = 10;
export const MAX_SIDE = 4000;

/** Parses an operation list; throws an Error with a message for people when it is not valid. */
export function parseOperations(text: string): Operation[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('no operation: use e.g. resize:64x64,blur:2');
  if (parts.length > MAX_OPERATIONS) throw new Error(`at most ${MAX_OPERATIONS} operations`);
  return parts.map((part) => {
    const [name = '', ...args] = part.split(':');
    const parse = PARSERS[name];
    if (!parse) throw new Error(`unknown operation "${name}": use resize, crop, blur or sharpen`);
    return parse(args, part);
  });
}

/** Applies the operations in order and returns a PNG. Throws for an image sharp cannot read. */
export async function processImage(input: Buffer, operations: Operation[]): Promise<Buffer> {
  let image = sharp(input, { failOn: 'error' });
  for (const operation of operations) {
    // sharp runs one pipeline in its own order: each step re-opens the previous step's output.
    image = step(sharp(await image.png().toBuffer()), operation);
  }
  return image.png().toBuffer();
}

type Parser = (args: string[], part: string) => Operation;
const PARSERS: Record<string, Parser> = {
  resize: parseResize,
  crop: parseCrop,
  blur: parseBlur,
  sharpen: parseSharpen,
};

function step(image: Sharp, operation: Operation): Sharp {
  switch (operation.op) {
    case 'resize':
      return applyResize(image, operation);
    case 'crop':
      return applyCrop(image, operation);
    case 'blur':
      return applyBlur(image, operation);
    case 'sharpen':
      return applySharpen(image);
  }
}

/** Whole numbers from 0 to MAX_SIDE, or an Error that names the operation. */
function sides(values: (string | undefined)[], part: string, what: string): number[] {
  return values.map((v) => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isInteger(n) || n < 0 || n > MAX_SIDE)
      throw new Error(`${part}: ${what} must be whole numbers from 0 to ${MAX_SIDE}`);
    return n;
  });
}

/** resize:<width>x<height>, both from 1 to MAX_SIDE. */
export function parseResize(args: string[], part: string): Operation {
  if (args.length !== 1) throw new Error(`${part}: write resize:<width>x<height>`);
  const [width = 0, height = 0] = sides((args[0] ?? '').split('x'), part, 'width x height');
  if ((args[0] ?? '').split('x').length !== 2 || !width || !height)
    throw new Error(`${part}: write resize:<width>x<height>, both positive`);
  return { op: 'resize', width, height };
}

export function applyResize(image: Sharp, o: { width: number; height: number }): Sharp {
  return image.resize(o.width, o.height, { fit: 'fill' });
}

/** crop:<left>:<top>:<width>:<height>, width and height positive. */
export function parseCrop(args: string[], part: string): Operation {
  if (args.length !== 4) throw new Error(`${part}: write crop:<left>:<top>:<width>:<height>`);
  const [left = 0, top = 0, width = 0, height = 0] = sides(args, part, 'left, top, width and height');
  if (!width || !height) throw new Error(`${part}: width and height must be positive`);
  return { op: 'crop', left, top, width, height };
}

export function applyCrop(
  image: Sharp,
  o: { left: number; top: number; width: number; height: number },
): Sharp {
  return image.extract({ left: o.left, top: o.top, width: o.width, height: o.height });
}

/** blur:<sigma>, sigma from 0.3 to 100. */
export function parseBlur(args: string[], part: string): Operation {
  const sigma = Number(args[0]);
  if (args.length !== 1 || !(sigma >= 0.3 && sigma <= 100))
    throw new Error(`${part}: write blur:<sigma from 0.3 to 100>`);
  return { op: 'blur', sigma };
}

export function applyBlur(image: Sharp, o: { sigma: number }): Sharp {
  return image.blur(o.sigma);
}

/** sharpen, without arguments. */
export function parseSharpen(args: string[], part: string): Operation {
  if (args.length !== 0) throw new Error(`${part}: sharpen takes no argument`);
  return { op: 'sharpen' };
}

export function applySharpen(image: Sharp): Sharp {
  return image.sharpen();
}
