"""The domain: the NSSO's mandate rules as plain values and functions, and their Tortoise tables.

Every module but `tables` is free of frameworks: rules take values and return decisions, so a
reader learns the guidelines here (each docstring cites the rule IDs of RULES.md).
"""
