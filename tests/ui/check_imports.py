"""Checks that every name a UI module imports is exported by the module it names: a module that fails
to link leaves the window blank, and no syntax check catches it. Run by `make lint`."""

import os
import re
import sys

UI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ui")


def exports(path):
    text = open(path, encoding="utf-8").read()
    names = set(re.findall(r"export (?:async )?(?:function|const|let|class) (\w+)", text))
    for group in re.findall(r"export \{([^}]*)\}", text):
        names |= {x.strip().split(" as ")[-1] for x in group.split(",") if x.strip()}
    return names


def main():
    problems = []
    for root, _, files in os.walk(UI):
        for name in files:
            if not name.endswith(".js"):
                continue
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8").read()
            for imported, source in re.findall(r"import \{([^}]*)\} from '([^']+)'", text):
                target = os.path.normpath(os.path.join(root, source))
                if not os.path.exists(target):
                    problems.append(f"{path}: imports from {source}, which does not exist")
                    continue
                known = exports(target)
                for item in imported.split(","):
                    item = item.strip().split(" as ")[0]
                    if item and item not in known:
                        problems.append(f"{os.path.relpath(path, UI)}: '{item}' is not exported by {source}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
