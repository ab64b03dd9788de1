"""Classroom 50 autograder for the zero-to-millions kata.

Classroom 50's runner starts this script in the learner's checkout and then reads ./result.json
(schema classroom50/result/v1). The script installs the kata, grades it with `npm run grade`, which writes
that file into grade/, and copies it, with the markdown summary as the release's text, where the runner
looks for them.

Put it in your classroom50 repository as CLASSROOM/autograders/ASSIGNMENT/autograder.py (one assignment)
or install it for a whole classroom with `gh teacher autograder set-default ORG CLASSROOM --from <this file>`,
and give the assignment the runtime {"node": "24"}. See "For instructors" in the kata's README.

If the folder holding this script also holds a folder kata/ (your own copy of the kata, as
`npm run export` writes it), the learner's chapters/*/src is graded in that copy, so that edited tests, kit
or grader in the learner's repository change nothing.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The chapters this assignment grades (["01", "02"]; [] for all of them) and the points each is worth.
CHAPTERS: list[str] = []
POINTS = 100
# Classroom 50 stops the whole grading job after 15 minutes. About 2 go to setting up Node and installing
# the kata; the rest is shared by the chapters as their time limits (78 s each for all ten).
GRADING_SECONDS = 13 * 60


def run(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=cwd, env=env, check=False).returncode


def kata_to_grade(checkout: Path) -> Path:
    """The learner's checkout, or the instructor's copy of the kata with the learner's code put in it."""
    bundle = Path(os.environ.get("CLASSROOM50_BUNDLE_DIR") or Path(__file__).parent)
    own = bundle / "kata"
    if not own.is_dir():
        return checkout
    work = Path(os.environ.get("RUNNER_TEMP") or tempfile.mkdtemp()) / "zero-to-millions"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(own, work)
    for src in sorted(checkout.glob("chapters/*/src")):
        target = work / src.relative_to(checkout)
        if target.parent.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(src, target)
    print(f"grading the learner's chapters/*/src in the instructor's copy of the kata ({own})", flush=True)
    return work


def main() -> None:
    checkout = Path.cwd()
    kata = kata_to_grade(checkout)
    npm = shutil.which("npm") or "npm"
    env = dict(os.environ)
    # The runner puts release-body.md on the run's page itself: no second copy of the summary.
    env.pop("GITHUB_STEP_SUMMARY", None)
    if run([npm, "ci", "--no-audit", "--no-fund"], kata, env) != 0:
        sys.exit("npm ci failed: the kata could not be installed")
    chapters = len(CHAPTERS) or len(list(kata.glob("chapters/*/test")))
    time_limit = max(30, GRADING_SECONDS // max(1, chapters))
    options = ["--out", "grade", "--time-limit", str(time_limit), "--points", str(POINTS)]
    code = run([npm, "run", "grade", "--", *CHAPTERS, *options], kata, env)
    # 0: graded. 1: graded, but the tests or the kit were edited, so every score is 0 and result.json says
    # why. 2: grading itself broke, which Classroom 50 reports as an error rather than a score.
    if code not in (0, 1):
        sys.exit(f"npm run grade exited {code}: grading broke")
    shutil.copyfile(kata / "grade" / "result.json", checkout / "result.json")
    shutil.copyfile(kata / "grade" / "summary.md", checkout / "release-body.md")


if __name__ == "__main__":
    main()
