"""Forms of the organiser area, one module per page group."""
