"""The web app and JSON API over the record: ``create_app`` builds it, ``tradetalks serve``
runs it."""
