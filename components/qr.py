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
    # Sized for the back row: the code in letters a few centimetres tall, the QR code at least 420 px.
    st.html("<style>.st-key-join-panel h1 {font-size: 5.5rem; letter-spacing: .12em; line-height: 1.1;}"
            " .st-key-join-panel img {width: min(440px, 100%); height: auto; image-rendering: pixelated;}</style>")
    with st.container(key="join-panel"):
        st.markdown("#### Join on your phone")
        st.markdown(f"# {code}")
        data = base64.b64encode(qr_png(url, scale=10)).decode()
        st.markdown(f"![QR code that opens {url}](data:image/png;base64,{data})")
        st.markdown(f"Scan it, or open `{url}`")
