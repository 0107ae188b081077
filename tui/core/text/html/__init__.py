"""HTML to neutral blocks (``tree.parse_html``) and to visible text (``visible.visible_text``)."""
