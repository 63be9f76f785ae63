"""A page's related rows read before its fields resolve, one statement per kind, when the query asks for them.

A mandate's principal, mandatary and groups come through the request's DataLoaders (schema.loaders): one
statement per kind of row whatever the page's size. Resolved field by field, each of a page's mandates
would still wait on its loader: for graphql-core a task per field and per mandate, which cost more CPU than
the statements. Loaded here first, the rows are in the loaders when the fields resolve, and the fields take
them at once (schema.loaders.loaded). A search page's principals and mandataries come with the page's own
statement (resolvers.mandate_pages): they are handed to the loader, read by no statement of their own.
What the query selects is read from its syntax: fields, inline and named fragments, whatever their alias or
directives (a field asked for under @skip is read for nothing, never missed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

from models.tables import Enterprise as EnterpriseRow
from models.tables import Mandate as MandateRow


def _fields(
    sets: Iterable[SelectionSetNode | None], fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    """The fields these selection sets select, fragments spread."""
    found: list[FieldNode] = []
    for selection_set in sets:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                found += _fields([selection.selection_set], fragments)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                found += _fields([fragments[selection.name.value].selection_set], fragments)
    return found


def selected(info: Info, *path: str) -> set[str]:
    """The names of the fields selected at `path` below the field being resolved (e.g. "edges", "node")."""
    raw = info._raw_info
    fields = list(raw.field_nodes)
    for name in path:
        fields = [
            field for field in _fields([f.selection_set for f in fields], raw.fragments) if field.name.value == name
        ]
    return {field.name.value for field in _fields([f.selection_set for f in fields], raw.fragments)}


def page_selects(info: Info) -> set[str]:
    """The fields a connection's query selects of each of its nodes."""
    return selected(info, "edges", "node")


async def prefetch_page(
    info: Info, mandates: list[MandateRow], asked: set[str], parties: Mapping[int, EnterpriseRow]
) -> None:
    """The principals, mandataries and groups of a page of mandates, loaded now if the query selects them
    (`asked`); `parties` are enterprises the page's statement read already, given to the loader as they are."""
    loaders = info.context.loaders
    loaders.enterprise.prime_many(parties)
    wanted = [row.principal_id for row in mandates if "principal" in asked]
    wanted += [row.mandatary_id for row in mandates if "mandatary" in asked]
    if missing := [key for key in wanted if key not in parties]:
        await loaders.enterprise.load_many(missing)
    if "groups" in asked and mandates:
        await loaders.groups.load_many([row.id for row in mandates])
