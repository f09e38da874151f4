"""HTTP routes served beside the Streamlit app (phones in a live class poll)."""
