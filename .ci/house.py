#!/usr/bin/env python3
"""The house rules that no compiler checks, run by .ci/test:

1. no Rust source file over 800 lines;
2. no import cycle between the modules of a crate: module A imports B when
   A's code (comments stripped, `#[cfg(test)] mod tests` left out) names
   `crate::B…`, `super::B…` or `self::B…`. A module naming its own ancestor
   (`super::x` from a child) is not an import of another module.

Exits 1 naming every offending file or cycle.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_LINES = 800
SKIP_DIRS = {"target", ".toolchains", "node_modules", ".git", "build", ".gradle"}
PATH_RE = re.compile(r"\b((?:crate|super|self)(?:::\w+)+)")
GROUP_RE = re.compile(r"use (crate|super|self)::\{([^;]*)\};", re.S)


def rust_files():
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for f in filenames:
            if f.endswith(".rs"):
                yield os.path.join(dirpath, f)


def crate_roots():
    """Each `src` folder holding a lib.rs or main.rs."""
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        if os.path.basename(dirpath) == "src" and (
            "lib.rs" in filenames or "main.rs" in filenames
        ):
            yield dirpath


def module_name(src, path):
    rel = os.path.relpath(path, src)[:-3].replace(os.sep, "::")
    if rel.endswith("::mod"):
        rel = rel[: -len("::mod")]
    return "" if rel in ("lib", "main") else rel


def resolve(current, path, modules):
    parts = path.split("::")
    head, parts = parts[0], parts[1:]
    if head == "crate":
        base = []
    elif head == "super":
        base = current.split("::")[:-1] if current else []
        while parts and parts[0] == "super":
            base, parts = base[:-1], parts[1:]
    else:
        base = current.split("::") if current else []
    for i in range(len(parts), 0, -1):
        name = "::".join(base + parts[:i])
        if name in modules:
            return name
    return None


def imports_of(src):
    files = {}
    for dirpath, _, filenames in os.walk(src):
        for f in filenames:
            if f.endswith(".rs"):
                p = os.path.join(dirpath, f)
                files[module_name(src, p)] = p
    modules = set(files)
    edges = {}
    for name, path in files.items():
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        cut = text.find("#[cfg(test)]\nmod tests")
        if cut >= 0:
            text = text[:cut]
        text = re.sub(r"//[^\n]*", "", text)
        targets = set()
        refs = [m.group(1) for m in PATH_RE.finditer(text)]
        for m in GROUP_RE.finditer(text):
            refs += [m.group(1) + "::" + item for item in re.findall(r"\w+(?:::\w+)*", m.group(2))]
        for ref in refs:
            to = resolve(name, ref, modules)
            if to and to != name and not name.startswith(to + "::"):
                targets.add(to)
        edges[name] = targets
    return edges


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def main():
    problems = []
    for path in rust_files():
        with open(path, encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        if n > MAX_LINES:
            problems.append(f"{os.path.relpath(path, ROOT)}: {n} lines (at most {MAX_LINES})")
    crates = 0
    for src in crate_roots():
        crates += 1
        edges = imports_of(src)
        for comp in cycles(edges):
            ties = [f"{a} -> {b}" for a in comp for b in sorted(edges[a]) if b in comp]
            problems.append(
                f"{os.path.relpath(src, ROOT)}: import cycle between {', '.join(comp)} ({'; '.join(ties)})"
            )
    if crates == 0:
        problems.append("no crate found: the check ran on nothing")
    for p in problems:
        print("house:", p)
    if problems:
        sys.exit(1)
    print(f"house: {crates} crates, no import cycle, no Rust file over {MAX_LINES} lines")


if __name__ == "__main__":
    main()
