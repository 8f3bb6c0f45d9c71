"""Entry point of the `qi` command (and `python -m qi_cli`)."""

from __future__ import annotations

import os


def main() -> None:
    # pydantic looks for plugins by reading the metadata of every installed package
    # the first time a model is built: about a tenth of `qi validate`'s start-up here,
    # more in a large environment. qi uses none; set PYDANTIC_DISABLE_PLUGINS to
    # another value (even empty) to let pydantic load yours.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from qi_cli.cli import app  # after the variable: models built on import read it

    app(prog_name="qi")


if __name__ == "__main__":
    main()
