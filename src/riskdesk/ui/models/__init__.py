"""Qt table models over the service's queries and over plain lists."""
