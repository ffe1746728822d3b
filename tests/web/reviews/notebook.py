"""A small deliverable registered the way an extension would register one, so the services' tests do not
depend on the four built-ins' content: a "notebook" of sections whose text a test changes at will."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ctip.core.review.diff import Element
from ctip.web.reviews import deliverables
from ctip.web.reviews.deliverables import Deliverable

KIND = "notebook"


class Notebook:
    def __init__(self) -> None:
        self.sections: dict[str, str] = {"intro": "Introduction", "method": "Methodology"}

    def elements(self, _workspace, _subject) -> list[Element]:
        return [
            Element(key, "section", key.title(), None, position, {"text": text})
            for position, (key, text) in enumerate(self.sections.items())
        ]


@contextmanager
def notebook_registered() -> Iterator[Notebook]:
    notebook = Notebook()
    previous = dict(deliverables._REGISTRY)
    deliverables.deliverable_register(
        Deliverable(
            kind=KIND,
            label="Notebook",
            subjects=lambda _workspace: [("", "Field notebook")],
            elements=notebook.elements,
            edit_url_name="workspace-dashboard",
            kind_labels={"section": "Section"},
            field_labels={"text": "Text"},
        )
    )
    try:
        yield notebook
    finally:
        deliverables._REGISTRY.clear()
        deliverables._REGISTRY.update(previous)
