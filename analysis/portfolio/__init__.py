"""Across plans: an agency's whole load, plans side by side, the network of a whole government.

One concern per module, pure functions over plans and tidy frames (no database, no streamlit):

* `analysis.portfolio.identity`: one key per agency of one region (registry aliases, user
  links, normalised names; regions never merged);
* `analysis.portfolio.load`: per-plan digests and the `Portfolio` (tidy tasks and assignments
  with ``plan_id``) assembled from them; every task's status and colour;
* `analysis.portfolio.agency`: one agency across plans (per plan, due, warnings, partners);
* `analysis.portfolio.overview`: plans of a region, each agency's load, filters (`Scope`);
* `analysis.portfolio.compare`: two plans side by side in one table;
* `analysis.portfolio.network`: agencies linked by tasks shared in any plan, centrality.

The workspace side (links stored, digests stored, reports of every plan in one query) is
`analysis.store.portfolio`.
"""

from analysis.portfolio.agency import AgencyView, agency_view, quarter_end
from analysis.portfolio.compare import compare_plans
from analysis.portfolio.identity import AgencyKey, Links, agency_key, normalise_name, resolve_query
from analysis.portfolio.load import Portfolio, assemble, digest_of, statuses
from analysis.portfolio.network import centrality, cross_plan_graph, plan_subgraph
from analysis.portfolio.overview import Scope, agency_load, plans_overview, scoped

__all__ = [
    "AgencyKey", "AgencyView", "Links", "Portfolio", "Scope", "agency_key", "agency_load", "agency_view",
    "assemble", "centrality", "compare_plans", "cross_plan_graph", "digest_of", "normalise_name",
    "plan_subgraph", "plans_overview", "quarter_end", "resolve_query", "scoped", "statuses",
]
