#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Every C++ and Python snippet of README.md and docs/*.md is a complete example program: its first
line names the file (`// examples/NAME.cpp`, `# examples/python/NAME.py`), and the rest is that file
without its licence line. The examples are built and run by ctest, so a snippet that does not compile
or run fails the test suite.
Exit status 1 lists the snippets that are not an example or differ from it.
usage: check_snippets.py ROOT
"""

import glob
import os
import re
import sys


def snippets(path):
    text = open(path, encoding="utf-8").read()
    for match in re.finditer(r"```(cpp|c\+\+|cc|cxx|python|py)\n(.*?)```", text, re.S):
        yield match.group(1), match.group(2)


def main(root):
    problems, count = [], 0
    documents = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    for document in documents:
        for language, snippet in snippets(document):
            count += 1
            first, _, body = snippet.partition("\n")
            python = language in ("python", "py")
            match = re.fullmatch(r"# (examples/python/\w+\.py)" if python else r"// (examples/\w+\.cpp)", first.strip())
            where = os.path.relpath(document, root)
            if not match:
                wanted = "# examples/python/NAME.py" if python else "// examples/NAME.cpp"
                problems.append(f"{where}: a {language} snippet does not start with '{wanted}': {first!r}")
                continue
            example = os.path.join(root, match.group(1))
            if not os.path.exists(example):
                problems.append(f"{where}: {match.group(1)} does not exist")
                continue
            lines = open(example, encoding="utf-8").read().split("\n")
            expected = "\n".join(line for line in lines if "SPDX-License-Identifier" not in line)
            if body != expected:
                problems.append(f"{where}: the snippet of {match.group(1)} differs from the file")
    for problem in problems:
        print(problem)
    print(f"{count} snippets checked, {len(problems)} problems")
    return 1 if problems or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
