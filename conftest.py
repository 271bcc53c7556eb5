"""Load the claimbench plugin when the package is not installed (it is also a pytest11 entry point)."""

pytest_plugins = ["claimbench.plugin"]
