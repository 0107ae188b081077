"""From untrusted markup to typeset lines. Pure: no I/O."""
