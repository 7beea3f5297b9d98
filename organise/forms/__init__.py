"""The organiser area's forms. They read and check input; services write."""
