"""GraphiQL's page and its example operations in the request's language (Accept-Language,
config/messages.negotiate): the words around the editor and the examples' comments are ours, from
the message catalogue; GraphiQL's own buttons and panels are the library's, in English.

config/graphiql/index.html is the page with `$name` placeholders (string.Template), filled here with
the catalogue's texts, HTML-escaped, and their fragments of code as markup; examples.json holds the
operations themselves, their comments added here.
"""

from __future__ import annotations

import html
import json
from functools import cache
from string import Template

from config.messages import text
from config.settings import ROOT

GRAPHIQL = ROOT / "config" / "graphiql"
DEMO_TOKEN = "mandates token --niss 68031425991 --enterprise 0893.219.451 --scope mandates:manage"
# The comment above each example operation of examples.json, in its order.
EXAMPLE_COMMENTS = ("api.graphiql.example.dashboard", "api.graphiql.example.search", "api.graphiql.example.create")


def _code(fragment: str) -> str:
    return f"<code>{html.escape(fragment)}</code>"


def _html(language: str, key: str, **markup: str) -> str:
    """The message in `language`, escaped, its placeholders filled with ready markup."""
    escaped = html.escape(text(language, key), quote=False)
    for name, fragment in markup.items():
        escaped = escaped.replace(f"{{{name}}}", fragment)
    return escaped


@cache
def _template() -> Template:
    return Template((GRAPHIQL / "index.html").read_text(encoding="utf-8"))


def page(language: str) -> str:
    """GraphiQL's page with its words in `language` (one of the four)."""
    token = _html(
        language,
        "api.graphiql.token",
        api=f"<strong>{html.escape(text(language, 'api.graphiql.api'))}</strong>",
        header=_code('{"Authorization": "Bearer <token>"}'),
        command=_code(DEMO_TOKEN),
    )
    examples = _html(
        language,
        "api.graphiql.examples",
        create=_code("createMandate"),
        errors=_code("userErrors"),
        sdl='<a href="/schema.graphql" id="sdl">schema.graphql (SDL)</a>',
    )
    return _template().substitute(
        lang=language,
        title=html.escape(text(language, "api.graphiql.title")),
        token=token,
        examples=examples,
        loading=html.escape(text(language, "api.graphiql.loading")),
    )


def examples(language: str) -> dict:
    """The example operations, one a tab, each opening with its comment in `language`, and the headers a
    token goes in."""
    tabs = json.loads((GRAPHIQL / "examples.json").read_text(encoding="utf-8"))["tabs"]
    paste = text(language, "api.graphiql.paste_token")
    headers = json.dumps({"Authorization": f"Bearer <{paste}>"}, indent=2, ensure_ascii=False)
    return {
        "tabs": [
            {
                **tab,
                "query": "".join(f"# {line}\n" for line in text(language, key).splitlines()) + tab["query"],
                "headers": headers,
            }
            for tab, key in zip(tabs, EXAMPLE_COMMENTS, strict=True)
        ]
    }
