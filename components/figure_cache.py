"""Charts built once per content and shared by every session.

A stage advance redraws every chart already revealed; building a plotly figure costs milliseconds
to tens of milliseconds, turning a built one into its JSON well under one. Charts are keyed by the
JSON of exactly what they show (so a changed case, or an author's edited draft, gets a new chart),
and the figures are never changed after they are built.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Sequence, TypeVar

from pydantic import BaseModel, TypeAdapter

MAX_FIGURES = 512
"""Figures kept per kind of chart; a figure is a few tens of kilobytes."""

T = TypeVar("T")


class FigureCache:
    """A bounded, thread-safe memo of figures by the content they draw."""

    def __init__(self, build: Callable[..., T], item_type: type[BaseModel], maxsize: int = MAX_FIGURES):
        self._build = build
        self._adapter = TypeAdapter(list[item_type])
        self._maxsize = maxsize
        self._items: OrderedDict[tuple, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, items: Sequence[BaseModel], **options: Any) -> T:
        key = (self._adapter.dump_json(list(items)), tuple(sorted(options.items())))
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        built = _frozen(self._build(list(items), **options))  # outside the lock: other sessions keep drawing
        with self._lock:
            self._items[key] = built
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)
        return built

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def spec_figure(spec: dict) -> Any:
    """A figure whose dict is `spec` as given, with plotly's default template as a validated figure
    carries it, without plotly's validation (tens of milliseconds for a chart with a few dozen
    labels, paid by the first student to reach each stage). tests/unit check, for every seed case,
    that validating each spec leaves it unchanged."""
    import plotly.graph_objects as go

    layout = spec.setdefault("layout", {})
    layout.setdefault("template", _default_template())
    shell = go.Figure()
    object.__setattr__(shell, "to_dict", lambda: spec)
    return shell


_TEMPLATE: dict | None = None


def _default_template() -> dict:
    global _TEMPLATE
    if _TEMPLATE is None:
        import plotly.graph_objects as go

        _TEMPLATE = go.Figure().to_dict()["layout"]["template"]
    return _TEMPLATE


def _frozen(figure: T) -> T:
    """The figure with its dict made once. `st.plotly_chart` asks a figure for its dict on every run,
    and plotly makes a deep copy each time; the figures here are never changed, so one copy will do."""
    to_dict = getattr(figure, "to_dict", None)
    if to_dict is None:
        return figure
    as_dict = to_dict()
    object.__setattr__(figure, "to_dict", lambda: as_dict)
    return figure
