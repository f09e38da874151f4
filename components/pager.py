"""A long list shown a page at a time, with Previous / Next and the page number."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, Sequence, TypeVar

import streamlit as st

PAGE_SIZE = 24
"""Cards per page: eight rows of three on a desktop, a short scroll on a phone."""

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int  # from 1
    pages: int
    first: int  # position of the first item, from 1
    total: int


def page_of(items: Sequence[T], *, key: str, reset_on: Any = None, size: int = PAGE_SIZE) -> Page[T]:
    """The page of `items` the user is on; back to the first page whenever `reset_on` changes
    (a new search or filter starts at the top)."""
    pages = max(1, math.ceil(len(items) / size))
    if st.session_state.get(f"{key}:for") != repr(reset_on):
        st.session_state[f"{key}:for"] = repr(reset_on)
        st.session_state[key] = 1
    number = min(max(1, int(st.session_state.get(key, 1))), pages)
    st.session_state[key] = number
    start = (number - 1) * size
    return Page(items[start:start + size], number, pages, start + 1, len(items))


def _turn(key: str, step: int) -> None:
    st.session_state[key] = int(st.session_state.get(key, 1)) + step


def render_pager(page: Page, *, key: str, noun: str = "cases") -> None:
    """Previous / Next under the list, and where the user is; nothing when everything fits on one page.
    `noun` names what is listed ("cases", "missed questions")."""
    if page.pages <= 1:
        return
    last = page.first + len(page.items) - 1
    with st.container(key=f"{key.replace(':', '-')}-control", horizontal=True, vertical_alignment="center"):
        st.button("Previous", key=f"{key}:previous", icon=":material/chevron_left:", disabled=page.number <= 1,
                  on_click=_turn, args=(key, -1), help=f"The previous page of {noun}")
        st.markdown(f"Page {page.number} of {page.pages}")
        st.button("Next", key=f"{key}:next", icon=":material/chevron_right:", disabled=page.number >= page.pages,
                  on_click=_turn, args=(key, 1), help=f"The next page of {noun}")
    st.caption(f"{noun.capitalize()} {page.first:,}–{last:,} of {page.total:,}")  # apart, so the row fits a phone
