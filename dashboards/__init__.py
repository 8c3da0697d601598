"""The Streamlit dashboard: ``app.py`` is the entry script (``tracker up`` runs it), ``app_pages/`` one screen
each, ``data.py`` the cached reads over the read copy, ``sidebar.py``, ``charts.py`` and ``tables.py`` shared
parts. It only reads, through ``tracker.read``."""
