"""Who is who across plans: one key per agency of one region.

Definitions
-----------
* An agency is identified by an :class:`AgencyKey` ``(region, name)``.
* A **registered** agency (the plan's model resolved the name through the registry's labels,
  aliases and full names: 省经济和信息化厅, 浙江省经信厅 → 省经信厅) is keyed by the registry's
  region and its registered label: ``(浙江省, 省经信厅)``. The registry applies to plans of
  its own region only (``analysis.agencies.registry_applies``): an Anhui plan's 省经信厅 is
  never registered, so never Zhejiang's.
* An **unregistered** name is keyed by the plan's region and its normalised name
  (:func:`normalise_name`): ``(安徽省, 省经济和信息化厅)``. A plan whose region is unknown
  keeps ``""`` as its region: it is merged with no other region.
* A **user link** (``analysis.store.portfolio.AgencyLinks``) maps a key ``(region, name)`` to
  another agency of the *same* region (a registered label, or a name written there): the key
  becomes the target's key. Links never cross regions, and a link never chains (the target is
  taken as it resolves without links).
* Different regions are never merged: nothing here compares names across regions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import pandas as pd

from analysis.agencies import REGISTRY_REGION, AgencyRegistry, load_registry, registry_applies
from analysis.columns import text_array
from analysis.regions import level_of

#: Written in a key's place when the plan's region is unknown (shown as 未知地区 / unknown region).
UNKNOWN_REGION: Final = ""
_LEVEL_PREFIX: Final = {"province": "省", "city": "市", "county": "县", "district": "区"}
_SPACE_RE: Final = re.compile(r"\s+")
KEY_SEPARATOR: Final = "｜"


class AgencyKey(NamedTuple):
    """One agency of one region: ``(region, name)``."""

    region: str
    name: str

    def as_text(self) -> str:
        """``region｜name`` (a stable string id for graphs, URLs and caches)."""
        return f"{self.region}{KEY_SEPARATOR}{self.name}"

    @classmethod
    def from_text(cls, text: str) -> AgencyKey:
        region, _, name = text.rpartition(KEY_SEPARATOR)
        return cls(region, name)


def identity_region(region: str) -> str:
    """The region a plan's unregistered names belong to: the plan's region as stored (stripped)."""
    return (region or "").strip()


def normalise_name(name: str, region: str = "") -> str:
    """An unregistered name as compared within its region: NFKC (full-width letters and
    brackets as half-width), white space removed, and the region's own name at the start
    written as its level (in an Anhui plan 安徽省发展改革委 → 省发展改革委; in a 滁州市 plan
    滁州市经信局 → 市经信局), so the two spellings a region's plans use are one agency."""
    text = _SPACE_RE.sub("", unicodedata.normalize("NFKC", str(name)))
    region = identity_region(region)
    if region and text.startswith(region) and len(text) > len(region):
        text = _LEVEL_PREFIX[level_of(region)] + text[len(region):]
    return text


@dataclass(frozen=True)
class Links:
    """User links within regions: ``(region, normalised name) → target name`` (see module docstring)."""

    targets: Mapping[tuple[str, str], str]

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str]]) -> Links:
        """From ``(region, name, agency)`` rows (as the store gives them)."""
        return cls({(identity_region(r), normalise_name(n, r)): a for r, n, a in rows})

    def __len__(self) -> int:
        return len(self.targets)


NO_LINKS: Final = Links({})


def base_key(region: str, name: str, registered: bool) -> AgencyKey:
    """The key of a name as a plan of ``region`` wrote it, before user links (module docstring)."""
    if registered:
        return AgencyKey(REGISTRY_REGION, str(name).strip())
    region = identity_region(region)
    return AgencyKey(region, normalise_name(name, region))


def target_key(region: str, agency: str, registry: AgencyRegistry | None = None) -> AgencyKey:
    """The key a link's target stands for: a registered agency (when the registry applies to the
    region), else the name as written in that region."""
    registry = registry or load_registry()
    region = identity_region(region)
    if registry_applies(region) and agency in registry:
        return AgencyKey(REGISTRY_REGION, registry.resolve(agency))
    return AgencyKey(region, normalise_name(agency, region))


def agency_key(region: str, name: str, registered: bool, links: Links = NO_LINKS,
               registry: AgencyRegistry | None = None) -> AgencyKey:
    """The key of a name written in a plan of ``region``, with the user links applied."""
    key = base_key(region, name, registered)
    target = links.targets.get((key.region, key.name)) if not registered else None
    return target_key(key.region, target, registry) if target is not None else key


def key_columns(assignments: pd.DataFrame, plan_regions: Mapping[int, str], registered: pd.Series,
                links: Links = NO_LINKS, registry: AgencyRegistry | None = None, *,
                with_key: bool = False) -> pd.DataFrame:
    """``key_region`` and ``key_name`` for each row of tidy assignments with ``plan_id`` and
    ``agency``; ``registered``: a bool per row. Computed once per distinct (plan region, name,
    registered), found by integer codes (no strings built per row). ``with_key``: also ``key``,
    the key's ``AgencyKey.as_text()``."""
    region_of = {int(p): identity_region(r) for p, r in plan_regions.items()}
    plan_codes, plan_values = pd.factorize(assignments["plan_id"].astype("int64"))
    region_codes, region_values = pd.factorize(pd.Index([region_of.get(int(p), "") for p in plan_values], dtype=object))
    agency_codes, agency_values = pd.factorize(assignments["agency"].astype(str))
    flags = registered.astype(bool).to_numpy().astype("int64")
    width = len(agency_values) + 1
    combined = (region_codes[plan_codes].astype("int64") * width + agency_codes) * 2 + flags if len(plan_codes) else (
        np.empty(0, dtype="int64"))
    codes, distinct = pd.factorize(combined)
    registry = registry if registry is not None or not len(links) else load_registry()
    found = [agency_key(str(region_values[int(d) // 2 // width]), str(agency_values[int(d) // 2 % width]),
                        bool(d % 2), links, registry) for d in distinct]
    if not len(found):
        empty = np.empty(0, dtype=object)
        return pd.DataFrame({"key_region": empty, "key_name": empty, **({"key": empty} if with_key else {})},
                            index=assignments.index)
    columns = {"key_region": text_array([k.region for k in found]).take(codes),
               "key_name": text_array([k.name for k in found]).take(codes)}
    if with_key:
        columns["key"] = text_array([k.as_text() for k in found]).take(codes)
    return pd.DataFrame(columns, index=assignments.index)


def resolve_query(name: str, keys: Iterable[AgencyKey], region: str | None = None,
                  registry: AgencyRegistry | None = None, links: Links = NO_LINKS) -> list[AgencyKey]:
    """The agencies a name typed by a person can mean, among ``keys`` (those in the portfolio):
    in each region, the name read as a plan of that region would read it (aliases where the
    registry applies, user links, normalisation). ``region`` limits the search to one region."""
    registry = registry or load_registry()
    text = str(name).strip()
    present = set(keys)
    regions = {k.region for k in present} if region is None else {identity_region(region)}
    found: dict[AgencyKey, None] = {}
    for place in sorted(regions):
        registered = registry_applies(place) and text in registry
        candidate = agency_key(place, registry.resolve(text) if registered else text, registered, links, registry)
        if candidate in present:
            found[candidate] = None
    return list(found)
