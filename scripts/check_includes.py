#!/usr/bin/env python3
"""Fails when a file includes a header of a library its target does not link.

    scripts/check_includes.py [--build build] [--root .] [--readme README.md]

A header under src/ belongs to the library whose folder is the longest prefix of its path
(the target graph that CMake writes to <build>/target_graph.json). A source file is checked
against every target that compiles it (<build>/compile_commands.json); a header under src/
against the library that owns it. A file may include its own library's headers and those of
every library its target links, directly or through another. With --readme, the README's
module table (the rows between its `modules:begin` and `modules:end` markers) must name each
library folder once with the libraries it links directly.
"""

import argparse
import json
import re
import sys
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
OBJECT_DIR = re.compile(r"CMakeFiles/([^/]+)\.dir/")
OUTPUT_FLAG = re.compile(r"\s-o\s+(\S+)")
LIBRARY_TYPES = {"STATIC_LIBRARY", "SHARED_LIBRARY", "INTERFACE_LIBRARY", "OBJECT_LIBRARY"}


def load_graph(build):
    with open(build / "target_graph.json", encoding="utf-8") as f:
        return json.load(f)


def linked_closure(graph, target):
    """The target and every target it links, directly or through another."""
    seen, pending = set(), [target]
    while pending:
        name = pending.pop()
        if name in seen or name not in graph:
            continue
        seen.add(name)
        pending.extend(graph[name]["links"])
    return seen


def header_owners(graph):
    """Library folder (relative to the root) -> library, longest folders first."""
    owners = {}
    for name, target in graph.items():
        if target["type"] in LIBRARY_TYPES and not name.endswith("_pch"):
            owners.setdefault(target["folder"], name)
    return sorted(owners.items(), key=lambda item: -len(item[0]))


def owner_of(path, owners):
    for folder, library in owners:
        if path == folder or path.startswith(folder + "/"):
            return library
    return None


def includes_of(file):
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return INCLUDE.findall(text)


def targets_by_source(build, root):
    """Source path (relative to the root) -> the targets that compile it."""
    with open(build / "compile_commands.json", encoding="utf-8") as f:
        commands = json.load(f)
    found = {}
    for entry in commands:
        source = Path(entry["directory"], entry["file"]).resolve()
        output = entry.get("output") or " ".join(OUTPUT_FLAG.findall(entry.get("command", "")))
        match = OBJECT_DIR.search(output)
        if not match:
            continue
        try:
            relative = source.relative_to(root).as_posix()
        except ValueError:
            continue  # generated sources live in the build folder
        found.setdefault(relative, set()).add(match.group(1))
    return found


def check_file(path, targets, graph, owners, root):
    problems = []
    for header in includes_of(root / path):
        if not (root / "src" / header).is_file():
            continue  # a system, test-support or generated header
        owner = owner_of("src/" + header, owners)
        if owner is None:
            continue
        for target in sorted(targets):
            if owner not in linked_closure(graph, target):
                problems.append(
                    f'{path}: includes "{header}" of {owner}, which {target} does not link'
                )
    return problems


def check_tree(build, root):
    graph = load_graph(build)
    owners = header_owners(graph)
    problems = []
    for path, targets in sorted(targets_by_source(build, root).items()):
        problems += check_file(path, targets, graph, owners, root)
    for header in sorted((root / "src").rglob("*.hpp")):
        path = header.relative_to(root).as_posix()
        owner = owner_of(path, owners)
        if owner is not None:
            problems += check_file(path, {owner}, graph, owners, root)
    return problems


def readme_rows(readme):
    text = readme.read_text(encoding="utf-8")
    begin, end = text.find("<!-- modules:begin -->"), text.find("<!-- modules:end -->")
    if begin < 0 or end < 0:
        return None
    rows = {}
    for line in text[begin:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        folder = re.fullmatch(r"`([^`]+)/`", cells[0]) if cells else None
        if folder and len(cells) >= 3:
            rows[folder.group(1)] = set(re.findall(r"`([^`]+)/`", cells[2]))
    return rows


def check_readme(build, readme):
    graph = load_graph(build)
    rows = readme_rows(readme)
    if rows is None:
        return [f"{readme}: no <!-- modules:begin --> ... <!-- modules:end --> table"]
    folder_of = {
        name: t["folder"].removeprefix("src/")
        for name, t in graph.items()
        if t["type"] in LIBRARY_TYPES and t["folder"].startswith("src/")
        and not name.endswith("_pch")
    }
    expected = {}
    for name, folder in folder_of.items():
        links = {folder_of[d] for d in graph[name]["links"] if d in folder_of} - {folder}
        expected.setdefault(folder, set()).update(links)
    problems = []
    for folder in sorted(expected.keys() | rows.keys()):
        if folder not in rows:
            problems.append(f"{readme}: the module table has no row for `{folder}/`")
        elif folder not in expected:
            problems.append(f"{readme}: `{folder}/` in the module table is no library")
        elif rows[folder] != expected[folder]:
            want = ", ".join(f"`{d}/`" for d in sorted(expected[folder])) or "nothing"
            problems.append(f"{readme}: `{folder}/` links {want}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", type=Path)
    parser.add_argument("--root", default=".", type=Path)
    parser.add_argument("--readme", type=Path)
    args = parser.parse_args()
    root = args.root.resolve()
    build = args.build if args.build.is_absolute() else root / args.build
    problems = check_tree(build, root)
    if args.readme:
        readme = args.readme if args.readme.is_absolute() else root / args.readme
        problems += check_readme(build, readme)
    for p in problems:
        print(p)
    files = len(targets_by_source(build, root))
    print(f"check_includes: {files} sources and the headers under src/ checked, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
