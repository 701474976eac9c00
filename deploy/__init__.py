"""Running the dashboard for many users: several Streamlit servers on one PostgreSQL behind nginx.

``deploy/nginx/taskboard.conf`` (the proxy, for Debian's nginx), ``deploy/systemd/`` (unit
examples), ``deploy.stack`` (the whole stack on one machine for a trial, the load test and its
tests), ``python -m deploy.run`` (that trial, by hand). README: "Deploy for many users".
"""
