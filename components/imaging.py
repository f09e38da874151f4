"""Imaging studies as structured cards (modality, technique, plane, contrast, findings), and other tests."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from casebook.model import ImagingStudy, OtherTest


def render_imaging(study: ImagingStudy, *, case_dir: Path | None = None, large: bool = False) -> None:
    with st.container(border=True, key=f"imaging-{study.id}"):
        heading = f"#### {study.modality} — {study.region}" if not large else f"### {study.modality} — {study.region}"
        details = [("Technique", study.technique), ("Plane", study.plane), ("Contrast", study.contrast)]
        lines = [f"**{name}:** {value}" for name, value in details if value]
        # One Markdown element for the card's text: each element is a message to the browser.
        parts = [heading, "  \n".join(lines), "**Findings**", "\n".join(f"- {f}" for f in study.findings)]
        st.markdown("\n\n".join(part for part in parts if part))
        if study.image and case_dir is not None and (case_dir / study.image.file).is_file():
            st.image(str(case_dir / study.image.file), caption=f"{study.image.credit} — {study.image.licence}")
            st.caption(f"Image description: {study.image.alt}")
        elif study.image is None:
            st.caption("No image: the report's figures are described in words here.")


def render_tests(tests: list[OtherTest]) -> None:
    st.markdown(tests_markdown(tests))


def tests_markdown(tests: list[OtherTest]) -> str:
    return "\n".join(f"- **{t.name}** ({'abnormal' if t.abnormal else 'normal'}): {t.result}" for t in tests)
