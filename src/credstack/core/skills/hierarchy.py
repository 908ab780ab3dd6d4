"""A framework's hierarchy: which items are broader than which, and cycles refused.

CASE says "A ``isChildOf`` B": A is the narrower item, B the broader. A search for a broad
skill finds programmes aligned to any narrower one, so the registry indexes each alignment
under the item *and every ancestor* (:func:`ancestors`), and a query stays one bitmap
lookup. Ancestors are walked breadth first with a visited set, so a hierarchy that reached a
cycle through data stored before (packages are checked on import: :func:`find_cycle`) still
ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["ancestors", "descendants", "find_cycle"]


def find_cycle(edges: Iterable[tuple[str, str]]) -> list[str]:
    """A cycle among directed ``edges`` as the list of its nodes, first node repeated at the
    end (``[a, b, a]``); empty when there is none. Iterative: deep chains are fine."""
    graph: dict[str, list[str]] = {}
    for origin, destination in edges:
        graph.setdefault(origin, []).append(destination)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in graph:
        if start in state:
            continue
        path = [start]
        stack: list[Iterator[str]] = [iter(graph.get(start, ()))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following):], following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                stack.append(iter(graph.get(following, ())))
    return []


def ancestors(key: str, parents: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Every item broader than ``key`` (parents, their parents …), nearest first."""
    found: dict[str, None] = {}
    frontier = list(parents.get(key, ()))
    while frontier:
        following: list[str] = []
        for parent in frontier:
            if parent == key or parent in found:
                continue
            found[parent] = None
            following.extend(parents.get(parent, ()))
        frontier = following
    return tuple(found)


def descendants(key: str, parents: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Every item narrower than ``key``, nearest first."""
    children: dict[str, list[str]] = {}
    for child, broader in parents.items():
        for parent in broader:
            children.setdefault(parent, []).append(child)
    return ancestors(key, children)
