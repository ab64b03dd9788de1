/**
 * The work itself: crop, resize, sharpen and blur with sharp. README: task 3.
 * Operations are written `resize:64x48,blur:2,sharpen,crop:0:0:32:32` and applied in order.
 */

export type Operation =
  | { op: 'resize'; width: number; height: number }
  | { op: 'crop'; left: number; top: number; width: number; height: number }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen' };

/** Parses an operation list; throws an Error with a message for people when it is not valid. */
export function parseOperations(text: string): Operation[] {
  throw new Error(`TODO (README, task 3): parse "${text}"`);
}

/** Applies the operations in order and returns a PNG. Throws for an image sharp cannot read. */
export async function processImage(input: Buffer, operations: Operation[]): Promise<Buffer> {
  throw new Error(`TODO (README, task 3): apply ${operations.length} operations to ${input.length} bytes`);
}
