// Minimal reporter for the node checks: collect problems, print them, exit non-zero if any.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const TOOLS = path.join(REPO, 'tests', 'deploy', '.tools');

export class Report {
  constructor(title) {
    this.title = title;
    this.problems = [];
    this.notes = [];
  }

  fail(msg) {
    this.problems.push(msg);
  }

  /** Record a failure unless cond holds. */
  expect(cond, msg) {
    if (!cond) this.fail(msg);
    return !!cond;
  }

  note(msg) {
    this.notes.push(msg);
  }

  finish() {
    for (const n of this.notes) console.log(`  ${this.title}: ${n}`);
    for (const p of this.problems) console.log(`  ${this.title}: FAIL ${p}`);
    if (this.problems.length) {
      console.log(`  ${this.title}: ${this.problems.length} problem(s)`);
      process.exit(1);
    }
  }
}

/** Path relative to the repository root, for messages. */
export const rel = (p) => path.relative(REPO, p);
