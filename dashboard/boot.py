"""The app's heavy imports, made once per process and one thread at a time.

Streamlit runs each session's script in a thread of its own. On a server that has served no page
yet, sessions that arrive together (say, the users of an app server that went down, reconnecting
through nginx to another one: issue 19) would each import pandas, plotly, SQLAlchemy and Alembic at
the same moment. SQLAlchemy's modules import each other, and Python, to keep two importing threads
from waiting on each other for ever, hands one of them a partially initialised module: the page
fails with "partially initialized module 'sqlalchemy.sql.roles' has no attribute …"
(tests/deploy/test_stack.py reproduces it). app.py and every page import this module before any
other module of the app's or any library that is not already loaded: Python's import lock on this
one module makes every other thread wait until the first has imported everything below.
"""

from __future__ import annotations

import alembic.command  # noqa: F401
import networkx  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import sqlalchemy.orm  # noqa: F401

import analysis.store  # noqa: F401
import dashboard.state  # noqa: F401
import dashboard.workspace_ui  # noqa: F401
