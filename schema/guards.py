"""The query guard: what a GraphQL document may cost before it is validated or run (hardening item 1).

One pass over the document, in time linear in its size: each fragment is measured once, in an
order where the fragments it spreads are measured before it, and its measure (depth, aliases,
fields once expanded) is reused at every spread. A spread therefore costs one addition however
often the fragment is spread, and a document whose fragments spread each other twice per level
(2^40 fields at 40 levels, about 1.5 KB of text) is measured in microseconds and refused for its
expanded size. A fragment that spreads itself, directly or not, is refused here (validation would
refuse it too, but it must never be expanded).

The guard is a schema extension that runs outside graphql-core's validation rules: the rules stay
the same tuple for every request, so Strawberry's ValidationCache keys on the document alone and
hits for a repeated query (the per-request depth, token and alias rules of Strawberry's limiters
changed the key and made it miss every time). The limits depend on the viewer, read from the
execution context: a request without a valid token gets the tighter `anonymous` limits.

graphql-core's own validation is quadratic in fields repeated under one response name (its
OverlappingFieldsCanBeMerged rule compares every pair): the measure also counts those pairs, and
they count against the field limit.

Order of the checks, each before any costlier work: the document's size in bytes (before parsing),
its tokens (graphql-core's parser stops at the viewer's limit: a syntax error, BAD_USER_INPUT), then
after parsing the number of fragment spreads written, the measure of each operation, and the time
the measure took. A refusal of this module is a top-level GraphQL error with `extensions.code`
QUERY_TOO_LARGE (bytes) or QUERY_TOO_COMPLEX (spreads, repeated fields, depth, aliases, fields, a
fragment cycle, a measure that took too long), answered with HTTP 400 by the view (config/asgi.py).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
REFUSAL_CODES = frozenset({QUERY_TOO_LARGE, QUERY_TOO_COMPLEX})
_CLOCK_EVERY = 64  # selection sets (and response keys merged) between two looks at the clock


@dataclass(frozen=True)
class QueryLimits:
    """What one operation may cost. `depth` counts nested selections as Strawberry's depth limiter
    did (introspection fields are not counted); `fields` counts every field once fragments are
    expanded; `milliseconds` is the CPU time the measure itself may take."""

    depth: int
    aliases: int
    fields: int
    spreads: int
    tokens: int
    bytes: int
    milliseconds: float


@dataclass(frozen=True)
class Cost:
    """`overlaps` estimates the comparisons of graphql-core's OverlappingFieldsCanBeMerged rule,
    which compares every pair of fields answering under one response key (with their
    subselections): 330 copies of `legalForms { code name }` cost it over a second. A document's
    overlaps count against the field limit, so that validation stays linear in what the limits
    allow."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0
    overlaps: int = 0


@dataclass(frozen=True)
class DocumentCost:
    spreads: int
    overlaps: int  # of every operation and fragment definition: each is validated once
    operations: dict[str | None, Cost]  # by name; None for an anonymous operation


class QueryRefused(Exception):
    def __init__(self, message: str, code: str = QUERY_TOO_COMPLEX):
        super().__init__(message)
        self.code = code

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(str(self), extensions={"code": self.code})


Keys = dict[str, tuple[int, int]]  # response key: (fields answering under it, largest subselection)


def _merge(keys: Keys, more: Keys) -> None:
    for key, (count, size) in more.items():
        known = keys.get(key, (0, 0))
        keys[key] = (known[0] + count, max(known[1], size))


class _Measure:
    """One measure of one document; `deadline` is in thread CPU seconds (time.thread_time)."""

    def __init__(self, document: DocumentNode, deadline: float):
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.deadline = deadline
        self.work = self.next_look = 0
        self.costs: dict[str, tuple[Cost, Keys]] = {}

    def document(self, document: DocumentNode) -> DocumentCost:
        for name in self._order():
            self.costs[name] = self.selections(self.fragments[name].selection_set)
        operations = {}
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                operations[definition.name.value if definition.name else None] = self.selections(
                    definition.selection_set
                )[0]
        spreads = sum(
            1 for definition in document.definitions for _ in _spread_names(getattr(definition, "selection_set", None))
        )
        overlaps = sum(cost.overlaps for cost in operations.values()) + sum(
            cost.overlaps for cost, _ in self.costs.values()
        )
        return DocumentCost(spreads, overlaps, operations)

    def _order(self) -> list[str]:
        """The fragments, each after the fragments it spreads (an iterative depth-first search, so
        a long chain of fragments cannot exhaust Python's stack); a cycle is refused."""
        order: list[str] = []
        state: dict[str, str] = {}  # "open" while its spreads are being ordered, then "done"
        for root in self.fragments:
            if root in state:
                continue
            stack = [(root, iter(_spread_names(self.fragments[root].selection_set)))]
            state[root] = "open"
            while stack:
                name, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    state[name] = "done"
                    order.append(name)
                elif child not in self.fragments or state.get(child) == "done":
                    continue
                elif state.get(child) == "open":
                    raise QueryRefused(f"The fragment {child} spreads itself.")
                else:
                    state[child] = "open"
                    stack.append((child, iter(_spread_names(self.fragments[child].selection_set))))
        return order

    def selections(self, selection_set: SelectionSetNode) -> tuple[Cost, Keys]:
        """The cost of a selection set, and its response keys as graphql-core's overlap rule sees
        them: each key's count and largest subselection, with each fragment merged in once (the
        rule, like execution, takes a fragment spread twice in one selection set once). A spread
        fragment's own overlaps are not added here: its definition is validated, and counted, once."""
        self._tick(1)
        depth = aliases = fields = overlaps = 0
        keys: Keys = {}
        merged: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields += 1
                aliases += selection.alias is not None
                size = 0
                if selection.selection_set is not None:
                    inner, _ = self.selections(selection.selection_set)
                    aliases, fields, overlaps, size = (
                        aliases + inner.aliases,
                        fields + inner.fields,
                        overlaps + inner.overlaps,
                        inner.fields,
                    )
                    if not selection.name.value.startswith("__"):
                        depth = max(depth, 1 + inner.depth)
                _merge(keys, {(selection.alias or selection.name).value: (1, size)})
                continue
            if isinstance(selection, InlineFragmentNode):
                inner, inner_keys = self.selections(selection.selection_set)
                overlaps += inner.overlaps
            else:  # an unknown fragment costs nothing here: validation refuses it
                assert isinstance(selection, FragmentSpreadNode)  # graphql-core's third and last kind of selection
                name = selection.name.value
                inner, inner_keys = self.costs.get(name, (Cost(), {}))
                inner_keys = {} if name in merged else inner_keys
                merged.add(name)
            self._tick(len(inner_keys))
            _merge(keys, inner_keys)
            depth, aliases, fields = max(depth, inner.depth), aliases + inner.aliases, fields + inner.fields
        # Fields of one response key are compared pairwise, their subselections with them.
        overlaps += sum(count * (count - 1) // 2 * (1 + size) for count, size in keys.values())
        return Cost(depth, aliases, fields, overlaps), keys

    def _tick(self, work: int) -> None:
        self.work += work
        if self.work >= self.next_look:
            self.next_look = self.work + _CLOCK_EVERY
            if time.thread_time() > self.deadline:
                raise QueryRefused("The query took too long to check.")


def _spread_names(selection_set: SelectionSetNode | None) -> Iterator[str]:
    """The fragments spread in a selection set, however deep (inline fragments and fields included)."""
    stack = [selection_set] if selection_set else []
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set is not None:
                stack.append(selection.selection_set)


def measure(document: DocumentNode, milliseconds: float) -> DocumentCost:
    """The cost of every operation of `document`, refused when the measure passes `milliseconds`."""
    return _Measure(document, time.thread_time() + milliseconds / 1000).document(document)


class _Costs:
    """The last measures, by query text: a repeated query (ParserCache hands back the same
    document) is measured once. Only complete measures are kept, never a refusal for time."""

    def __init__(self, size: int = 256):
        self.size = size
        self.entries: OrderedDict[str, DocumentCost] = OrderedDict()

    def get(self, query: str, document: DocumentNode, milliseconds: float) -> DocumentCost:
        if query in self.entries:
            self.entries.move_to_end(query)
            return self.entries[query]
        cost = self.entries[query] = measure(document, milliseconds)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return cost


_COSTS = _Costs()


def check(cost: DocumentCost, limits: QueryLimits, operation_name: str | None) -> None:
    if cost.spreads > limits.spreads:
        raise QueryRefused(
            f"The query spreads fragments {cost.spreads} times, more than the limit of {limits.spreads}."
        )
    if cost.overlaps > limits.fields:
        raise QueryRefused(
            f"The query repeats fields under the same names {cost.overlaps} times over, more than the limit of "
            f"{limits.fields}."
        )
    chosen = {operation_name: cost.operations[operation_name]} if operation_name in cost.operations else cost.operations
    for name, operation in chosen.items():
        query = f"The operation {name}" if name else "The query"
        if operation.depth > limits.depth:
            raise QueryRefused(f"{query} exceeds the maximum operation depth of {limits.depth}.")
        if operation.aliases > limits.aliases:
            raise QueryRefused(
                f"{query} has {operation.aliases} aliases once fragments are expanded, more than the limit of "
                f"{limits.aliases}."
            )
        if operation.fields > limits.fields:
            raise QueryRefused(
                f"{query} asks for {operation.fields} fields once fragments are expanded, more than the limit of "
                f"{limits.fields}."
            )


class QueryGuard(SchemaExtension):
    """The guard as a schema extension; `build_schema` places it before ParserCache and
    ValidationCache so that a refused document is neither parsed (size) nor validated (cost)."""

    def __init__(self, anonymous: QueryLimits, authenticated: QueryLimits):
        self.anonymous, self.authenticated = anonymous, authenticated

    @property
    def limits(self) -> QueryLimits:
        context = self.execution_context.context
        return self.authenticated if getattr(context, "actor", None) is not None else self.anonymous

    def on_operation(self) -> Iterator[None]:
        # The parser stops at this many tokens (graphql-core's own bound; ParserCache keys on it).
        self.execution_context.parse_options["max_tokens"] = self.limits.tokens
        yield

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query or ""
        limit = self.limits.bytes
        if len(query) > limit or len(query.encode("utf-8", "surrogatepass")) > limit:
            raise QueryRefused(
                f"The query is longer than the limit of {limit} bytes.", QUERY_TOO_LARGE
            ).as_graphql_error()
        yield

    def on_validate(self) -> Iterator[None]:
        context, limits = self.execution_context, self.limits
        if context.graphql_document is not None:
            try:
                cost = _COSTS.get(context.query or "", context.graphql_document, limits.milliseconds)
                check(cost, limits, context.operation_name)
            except QueryRefused as refusal:
                raise refusal.as_graphql_error() from None
        yield
