"""Download buttons for Anki decks (.apkg); a deck is built only when its button is pressed."""
from __future__ import annotations

import streamlit as st

from casebook.anki import case_deck, review_deck
from casebook.model import Case, Question, Stage

IMPORT_HELP = ("Open the file in Anki (File → Import). Importing a newer copy updates these cards "
               "instead of adding them twice.")


def render_case_deck_button(case: Case, *, key: str) -> None:
    """Only for a finished case: the deck holds every answer."""
    st.download_button(
        "Anki deck of this case (.apkg)", lambda: case_deck(case), file_name=f"casebook-{case.id}.apkg",
        mime="application/octet-stream", key=key, icon=":material/style:", on_click="ignore",
        width="stretch", help=IMPORT_HELP)


def render_review_deck_button(items: list[tuple[Case, Stage, Question]], *, key: str) -> None:
    st.download_button(
        "Download your missed questions as an Anki deck", lambda: review_deck(items),
        file_name="casebook-missed-questions.apkg", mime="application/octet-stream", key=key,
        icon=":material/style:", on_click="ignore", help=IMPORT_HELP)
