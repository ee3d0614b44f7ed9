# tests/unit objects
