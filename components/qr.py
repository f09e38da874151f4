"""A QR code for the join address, big enough to scan from the back of a lecture hall."""
from __future__ import annotations

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
    st.image(qr_png(url), caption=f"QR code for {url} — scan it, or open the address and type the code",
             width=260)
