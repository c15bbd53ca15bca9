"""Fail when a catalog has an untranslated or fuzzy entry (the header excepted)."""

import re
import sys


def problems(path: str) -> list[str]:
    with open(path, encoding="utf-8") as catalog:
        text = catalog.read()
    found = []
    for block in re.split(r"\n\s*\n", text):
        if "msgid" not in block or re.search(r'^msgid ""\s*\nmsgstr ""\s*\n"', block, re.M):
            continue
        msgid = " ".join(re.findall(r'^msgid "(.*)"', block, re.M))
        if re.search(r"^#,.*\bfuzzy\b", block, re.M):
            found.append(f"fuzzy: {msgid}")
            continue
        values = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\s*)+)', block, re.M)
        if not values or any(not "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', v)) for v in values):
            found.append(f"untranslated: {msgid}")
    return found


if __name__ == "__main__":
    issues = [f"{path}: {issue}" for path in sys.argv[1:] for issue in problems(path)]
    print("\n".join(issues) or "catalog complete")
    sys.exit(1 if issues else 0)
