"""The GraphQL schema (Strawberry): types, inputs, queries, mutations and permissions.

Thin: every field maps to a use case of `resolvers/` or to a row it returned.
"""
