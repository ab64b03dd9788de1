/**
 * The work itself: the book's photo example with sharp. README: task 1 (resize), task 3 (crop, blur,
 * sharpen, and the limits). Operations are written `resize:64x48,blur:2,sharpen,crop:0:0:32:32` and
 * applied in order. Each operation has its parser and its step; parseOperations and processImage go
 * through the list.
 */
import type { Sharp } from 'sharp';

export type Operation =
  | { op: 'resize'; width: number; height: number }
  | { op: 'crop'; left: number; top: number; width: number; height: number }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen' };

/** Parses an operation list; throws an Error with a message for people when it is not valid. */
export function parseOperations(text: string): Operation[] {
  // Split on commas; parse each part with the parser of its name (parseResize …).
  throw new Error(`TODO (README, task 1): parse "${text}"`);
}

/** Applies the operations in order and returns a PNG. Throws for an image sharp cannot read. */
export async function processImage(input: Buffer, operations: Operation[]): Promise<Buffer> {
  // Open the input with sharp; apply each operation with its step (applyResize …); return a PNG.
  throw new Error(`TODO (README, task 1): apply ${operations.length} operations to ${input.length} bytes`);
}

/** resize:<width>x<height>. `args` are the parts after the name, `part` the whole text (for messages). */
export function parseResize(args: string[], part: string): Operation {
  throw new Error(`TODO (README, task 1): parse ${part}`);
}

export function applyResize(image: Sharp, o: { width: number; height: number }): Sharp {
  throw new Error(`TODO (README, task 1): resize to ${o.width}x${o.height}`);
}

/** crop:<left>:<top>:<width>:<height>. */
export function parseCrop(args: string[], part: string): Operation {
  throw new Error(`TODO (README, task 3): parse ${part}`);
}

export function applyCrop(
  image: Sharp,
  o: { left: number; top: number; width: number; height: number },
): Sharp {
  throw new Error(`TODO (README, task 3): crop ${o.width}x${o.height} at ${o.left},${o.top}`);
}

/** blur:<sigma>. */
export function parseBlur(args: string[], part: string): Operation {
  throw new Error(`TODO (README, task 3): parse ${part}`);
}

export function applyBlur(image: Sharp, o: { sigma: number }): Sharp {
  throw new Error(`TODO (README, task 3): blur with sigma ${o.sigma}`);
}

/** sharpen. */
export function parseSharpen(args: string[], part: string): Operation {
  throw new Error(`TODO (README, task 3): parse ${part}`);
}

export function applySharpen(image: Sharp): Sharp {
  throw new Error('TODO (README, task 3): sharpen');
}
