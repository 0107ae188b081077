"""The command-line commands, one module a group; each module's ``register`` adds its own."""
