"""``python -m claimbench``: the ``claimbench`` command."""

from claimbench.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
