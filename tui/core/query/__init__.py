"""newsboat's filter language: parse an expression, match it in SQL and in Python."""
