"""Entry point of the `qi` command (and `python -m qi_cli`)."""

from __future__ import annotations


def main() -> None:
    from qi_cli.cli import app

    app(prog_name="qi")


if __name__ == "__main__":
    main()
