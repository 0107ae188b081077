"""HTML to neutral blocks: a linear tokenizer and a forgiving tree builder."""
