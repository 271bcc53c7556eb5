"""This project's own models (a package named `models`, as many ML repositories have)."""
