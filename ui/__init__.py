"""The Gradio app: layout, streaming, the sources panel, history conversion (a thin adapter)."""
