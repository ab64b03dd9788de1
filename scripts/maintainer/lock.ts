/**
 * `npm run lock` (maintainers): writes tests.lock.json, the sha256 of every test, kit file, the manifest and
 * the vitest config. Run it after changing any of them, and after merging chapters; verify says when.
 */
import { LOCK_FILE, writeLock } from '../lib/lock.js';
import { root } from '../lib/paths.js';

const lock = writeLock(root);
console.log(`${LOCK_FILE}: ${Object.keys(lock.files).length} files locked`);
