"""The use cases: one transaction each, called alike by GraphQL, the CLI and the tests.

They take an `Actor` and plain values, apply the rules of `models/`, and return table rows.
No GraphQL here.
"""
