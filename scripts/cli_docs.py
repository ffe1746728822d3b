"""Write docs/cli.md from the ctip command's own --help texts (run by `make docs`)."""

from __future__ import annotations

import argparse

from ctip.cli import build_parser


def sections(parser: argparse.ArgumentParser, name: str) -> list[str]:
    lines = [f"## `{name}`", "", "```text", parser.format_help().rstrip(), "```", ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child_name, child in action.choices.items():
                lines.extend(sections(child, f"{name} {child_name}"))
    return lines


def main() -> None:
    parser = build_parser()
    print("# The `ctip` command\n")
    print("Generated from `ctip --help` by `make docs`; do not edit by hand.\n")
    print("\n".join(sections(parser, "ctip")))


if __name__ == "__main__":
    main()
