"""Modules over ~500 lines and functions over ~60 in the package (issue 14): prints each
and exits 1 if there is one.

    python scripts/sizes.py [--module-lines 500] [--function-lines 60]
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tradetalks"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--module-lines", type=int, default=500)
    ap.add_argument("--function-lines", type=int, default=60)
    args = ap.parse_args()
    over = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE.parent)
        lines = text.count("\n")
        if lines > args.module_lines:
            over.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                n = (node.end_lineno or node.lineno) - start + 1
                if n > args.function_lines:
                    over.append(f"{name}:{node.lineno} {node.name}: {n} lines")
    print("\n".join(over) or f"no module over {args.module_lines} lines, no function over {args.function_lines}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
