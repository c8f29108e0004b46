"""A Babel extraction method for `bot/texts.py`: each entry of the English catalogue becomes a message whose
context is its key, so two keys with the same English words can still be said differently in a language.

Used through `babel.cfg` by `pybabel extract -F babel.cfg`. The file is read as syntax, never imported.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

CATALOGUE = "EN"


def extract_texts(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str, ...], list[str]]]:
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == CATALOGUE:
            catalogue = node.value
            break
    else:
        raise ValueError(f"no `{CATALOGUE}: dict[...] = {{...}}` in the file")
    if not isinstance(catalogue, ast.Dict):
        raise ValueError(f"`{CATALOGUE}` must be a dict literal")
    for key_node, value_node in zip(catalogue.keys, catalogue.values, strict=True):
        key = ast.literal_eval(key_node) if key_node is not None else None
        if not isinstance(key, str):
            raise ValueError(f"line {value_node.lineno}: keys of `{CATALOGUE}` must be strings")
        if isinstance(value_node, ast.Call):  # Plural(one, other, count)
            one, other, count = (ast.literal_eval(arg) for arg in value_node.args)
            yield value_node.lineno, "npgettext", (key, one, other), [f"plural by {{{count}}}"]
        else:
            yield value_node.lineno, "pgettext", (key, ast.literal_eval(value_node)), []
