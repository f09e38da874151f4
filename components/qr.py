"""A QR code for the join address, big enough to scan from the back of a lecture hall."""
from __future__ import annotations

import base64
import io

import segno
import streamlit as st


def qr_png(url: str, scale: int = 12) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def render_join_panel(code: str, url: str) -> None:
    st.markdown("#### Join on your phone")
    st.markdown(f"# {code}")
    data = base64.b64encode(qr_png(url, scale=8)).decode()
    st.markdown(f"![QR code that opens {url}](data:image/png;base64,{data})")
    st.markdown(f"Scan it, or open `{url}` and type the code.")
