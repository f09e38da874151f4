"""The join panel: code, QR code and address, big enough to scan and read from the back of a lecture hall."""
from __future__ import annotations

import io

import segno
import streamlit as st


def qr_png(url: str, scale: int = 12) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def render_address_warning(warning: str | None) -> None:
    """Why phones may not reach the join address, on the lecturer's screen before anyone tries."""
    if warning:
        st.warning(warning, icon=":material/wifi_off:")


def render_join_panel(code: str, url: str) -> None:
    # Sized for the back row: the code in letters a few centimetres tall, the QR code at least 420 px.
    st.html("<style>.st-key-join-panel h1 {font-size: 5.5rem; letter-spacing: .12em; line-height: 1.1;}"
            " .st-key-join-panel img {image-rendering: pixelated;}</style>")
    with st.container(key="join-panel"):
        st.markdown("#### Join on your phone")
        st.markdown(f"# {code}")
        # The alt text carries the whole address, port included: a screen reader reads out what the
        # code opens. (st.image takes it as plain text, so nothing in the address is rendered.)
        st.image(qr_png(url, scale=10), alt=f"QR code that opens {url}", width=440)
        st.markdown(f"Scan it, or open `{url}`")


def render_join_line(code: str, url: str) -> None:
    """While a question runs, one line is enough for latecomers."""
    st.markdown(f"Join at `{url}` · code **{code}**")
