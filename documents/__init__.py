"""The authorisation PDF: its template, the registry's seal, and the verification of uploaded copies (pyHanko).
Adapters, no rules: the use cases in resolvers/ decide."""
