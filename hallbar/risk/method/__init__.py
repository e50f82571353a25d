"""The risk identification and prioritisation method, free of Django.

``reference`` reads the shipped country indicator files into frozen dataclasses, ``scoring``
implements the method documented in ``docs/risk-method.md`` and ``matrix`` draws a category's
likelihood × severity matrix as an accessible SVG. A thin service in the app does the ORM I/O.
"""
