"""Fails when a committed notebook carries outputs or machine paths: notebooks are committed clean, executed
copies go to notebooks/.executed/ (git-ignored). Standard library only, so it runs before any venv exists.

    python3 notebooks/check_clean.py            # checks notebooks/*.ipynb, exit 1 with one line per problem
"""

import json
import re
import sys
from pathlib import Path

# Absolute paths of this or any machine: home and temp directories, file URIs, Windows drives.
MACHINE_PATH = re.compile(r"(/home/|/Users/|/tmp/|/work/|/root/|file:/|[A-Za-z]:\\\\)")


def problems(path):
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                found.append(f"{path}: cell {i} has outputs (clear them before committing)")
            if cell.get("execution_count") is not None:
                found.append(f"{path}: cell {i} has an execution count (clear outputs before committing)")
    text = json.dumps(notebook)
    for match in sorted(set(MACHINE_PATH.findall(text))):
        found.append(f"{path}: contains a machine path ({match}...)")
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        found.append(f"{path}: kernel is {kernel!r}, not python3")
    return found


def main(argv):
    root = Path(__file__).resolve().parent
    paths = [Path(p) for p in argv] or sorted(root.glob("*.ipynb"))
    if not paths:
        print(f"no notebooks under {root}", file=sys.stderr)
        return 1
    found = [p for path in paths for p in problems(path)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
