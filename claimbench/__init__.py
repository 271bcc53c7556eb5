"""claimbench: published model-report numbers turned into pytest claims, measured and judged."""
