"""`python -m analysis agency NAME`: one agency across every plan of the workspace.

    agency NAME [--region REGION] [--date YYYY-MM-DD] [--json]
        → {"agency", "region", "lead", "support", "plans": [{"plan_id", "title", "lead", "support"}],
           "names", "reference", "due_until", "due", "warnings", "partners"}
    agency NAME [--region R] [--date D] --out pack.pptx|pack.html [--lang zh|en]
        → the agency's meeting pack across plans (analysis.report.agency_pack)
    agency NAME --region REGION --link-to AGENCY     (link an unmatched name; --unlink undoes it)

The workspace is the one ``TASKBOARD_DB`` names (as for ``workspace`` and ``progress``). The
name is read as each region's plans read it (registry aliases where the registry applies,
user links, normalised names); a name found in more than one region needs ``--region``.
Errors: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from analysis.cli.args import iso_date
from analysis.cli.workspace import Command, _actor, _guarded, _print_json
from analysis.vocab import Bilingual, Lang


def cmd_agency(args: argparse.Namespace) -> int:
    import datetime as dt

    from analysis.portfolio import agency_view, resolve_query
    from analysis.store import WorkspaceError, open_workspace
    from analysis.store.portfolio import AgencyLinks, load_portfolio, portfolio_statuses

    fmt = _pack_format(args.out) if args.out is not None else None
    with open_workspace() as ws:
        if args.link_to is not None or args.unlink:
            if args.region is None:
                raise WorkspaceError(Bilingual("关联单位须用 --region 写明地区", "linking a name needs --region"))
            links = AgencyLinks(ws)
            if args.unlink:
                links.unlink(args.region, args.name, actor=_actor(args))
                print(f"已撤销关联 link removed: {args.name} ({args.region})")
            else:
                link = links.link(args.region, args.name, args.link_to, actor=_actor(args))
                print(f"已关联 linked: {args.name} → {link.agency} ({link.region})")
            return 0
        portfolio = load_portfolio(ws)
        found = resolve_query(args.name, portfolio.keys(), args.region, links=AgencyLinks(ws).links())
        if not found:
            where = f"（{args.region}）" if args.region else ""
            raise WorkspaceError(Bilingual(f"工作区的方案中没有单位“{args.name}”{where}",
                                           f"no agency '{args.name}' in the workspace's plans"
                                           + (f" ({args.region})" if args.region else "")))
        if len(found) > 1:
            regions = "、".join(k.region or "未知地区" for k in found)
            raise WorkspaceError(Bilingual(
                f"“{args.name}”在多个地区的方案中出现（{regions}）：请用 --region 选择",
                f"'{args.name}' is found in plans of several regions ({regions.replace('、', ', ')}): "
                "choose one with --region",
            ))
        reference = args.date or dt.date.today()
        view = agency_view(portfolio, found[0], reference, portfolio_statuses(ws, portfolio, reference))
    if args.out is not None and fmt is not None:
        from pathlib import Path

        from analysis.report.agency_pack import build_agency_pack

        Path(args.out).write_bytes(build_agency_pack(view, fmt, lang=args.lang))
        if not args.json:  # with --json, stdout is the JSON alone
            print(f"已写入 written: {args.out}")
            return 0
    data = view.to_dict()
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['agency']}（{data['region'] or '未知地区'}）  牵头 lead {data['lead']}  配合 support {data['support']}")
    for plan in data["plans"]:
        print(f"{plan['plan_id']:>5}  牵头 lead {plan['lead']:>4}  配合 support {plan['support']:>4}  {plan['title']}")
    print(f"{reference.isoformat()} – {data['due_until']} 到期 due: {len(data['due'])}  "
          f"预警 warnings: {len(data['warnings'])}  合作单位 partners: {len(data['partners'])}")
    return 0


def _pack_format(path: str) -> str:
    """'.pptx' or '.html' from the --out file name; a WorkspaceError (one line, exit 2) otherwise."""
    from analysis.i18n import t
    from analysis.report import report_format
    from analysis.store import WorkspaceError

    try:
        return report_format(path)
    except ValueError:
        suffix = "." + path.rsplit(".", 1)[-1] if "." in path else path
        raise WorkspaceError(Bilingual(t("report_unsupported_format", Lang.ZH, suffix=suffix),
                                       t("report_unsupported_format", Lang.EN, suffix=suffix))) from None


def register(subparsers: Any) -> dict[str, Command]:
    """Add the `agency` command to the CLI's subparsers; returns {name: handler}."""
    agency = subparsers.add_parser("agency", help="one agency across every plan of the workspace (TASKBOARD_DB)")
    agency.add_argument("name", metavar="NAME", help="the agency as written (label, alias or full name)")
    agency.add_argument("--region", default=None, help="the region whose agency is meant (e.g. 浙江省)")
    agency.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                        help="reference date of the colours and of 'due in the next quarter' (default: today)")
    agency.add_argument("--json", action="store_true", help="print one JSON object")
    agency.add_argument("--out", default=None, metavar="PACK.pptx|PACK.html",
                        help="write the agency's meeting pack across plans (.pptx deck or .html report)")
    agency.add_argument("--lang", choices=[lang.value for lang in Lang], default=Lang.ZH.value,
                        help="language of the pack (default zh)")
    agency.add_argument("--link-to", default=None, metavar="AGENCY",
                        help="link NAME (as written in REGION's plans) to this agency of the same region")
    agency.add_argument("--unlink", action="store_true", help="undo the link of NAME in REGION")
    agency.add_argument("--user", "--actor", dest="user", default=None, metavar="NAME",
                        help="the account that links (checked and audited; default: TASKBOARD_USER); --actor: old name")
    return {"agency": _guarded(cmd_agency)}
