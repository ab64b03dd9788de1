/** `npm run typecheck`: the skeletons, the solutions, and the tests against both. */
import { typecheck } from './lib/typecheck.js';

const errors = typecheck();
const all = [
  ...errors.other,
  ...[...errors.skeleton.values()].flat(),
  ...[...errors.solution.values()].flat().map((e) => `${e} (tests compiled against the solution)`),
];
for (const line of all) console.log(line);
console.log(all.length === 0 ? 'typecheck: no errors' : `typecheck: ${all.length} errors`);
process.exitCode = all.length === 0 ? 0 : 1;
