#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Checks (or, with --add, writes) the licence line every source file of qmcsim starts with:

    // SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception      (C++, CUDA)
    # SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception       (CMake, shell, Python)

after a shebang line where there is one. Exit status 1 lists the files without it.
usage: license_headers.py ROOT [--add]
"""

import os
import subprocess
import sys

SPDX = "SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception"
COMMENT = {".cpp": "//", ".hpp": "//", ".in": "//", ".cu": "//", ".cmake": "#", ".txt": "#", ".sh": "#", ".py": "#"}
SOURCE_DIRS = ("include", "src", "tests", "bench", "examples", "scripts", "cmake", "python", ".ci")


def sources(root):
    listed = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True).stdout.split()
    for path in listed:
        name = os.path.basename(path)
        extension = os.path.splitext(name)[1]
        if path == "CMakeLists.txt" or (path.startswith(SOURCE_DIRS) and
                                        (extension in COMMENT and (extension != ".txt" or name == "CMakeLists.txt")
                                         or path == ".ci/run")):
            if "/corpus/" not in path and not path.startswith("tests/fuzz/corpus"):
                yield path


def comment_of(path):
    return "#" if path == ".ci/run" or path.endswith((".cmake.in", ".pc.in")) else COMMENT[os.path.splitext(path)[1]]


def main(argv):
    root, add = argv[0], "--add" in argv
    missing = []
    for path in sources(root):
        full = os.path.join(root, path)
        with open(full, encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        at = 1 if lines and lines[0].startswith("#!") else 0
        if at < len(lines) and lines[at] == f"{comment_of(path)} {SPDX}":
            continue
        if add:
            lines.insert(at, f"{comment_of(path)} {SPDX}")
            with open(full, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines))
        else:
            missing.append(path)
    for path in missing:
        print(f"no licence line: {path}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
