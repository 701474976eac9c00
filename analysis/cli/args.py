"""Argument types shared by every command: whole numbers in a range and dates, each refusal
said in Chinese and English on one line (argparse prints it after the usage)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

from analysis.deadlines import MAX_YEAR, MIN_YEAR


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argument type: a whole number from `low` (to `high`, when given)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"不是整数：{text!r} | not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            zh = f"须在 {low}–{high} 之间" if high is not None else f"至少为 {low}"
            en = f"must be from {low} to {high}" if high is not None else f"must be at least {low}"
            raise argparse.ArgumentTypeError(f"{zh}，实际为 {value} | {en}, got {value}")
        return value

    return parse


def iso_date(text: str) -> dt.date:
    """An argument type: a date written YYYY-MM-DD, its year within the years the reader knows."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"不是 YYYY-MM-DD 格式的日期：{text!r} | not a date in the form YYYY-MM-DD: {text!r}"
        ) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(
            f"年份须在 {MIN_YEAR}–{MAX_YEAR} 之间：{text!r} | the year must be between {MIN_YEAR} and {MAX_YEAR}: {text!r}"
        )
    return value


def column_mapping(text: str) -> dict[str, str]:
    """``--columns "民生实事=text,责任单位=responsible"`` → {header: role}."""
    from analysis.io.headers import ROLE_CODES

    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        header, sep, role = part.rpartition("=")
        if not sep or not header.strip():
            raise argparse.ArgumentTypeError(f"应写作 列名=角色：{part!r} | expected HEADER=ROLE, got {part!r}")
        if role.strip() not in ROLE_CODES:
            roles = ", ".join(ROLE_CODES)
            raise argparse.ArgumentTypeError(
                f"未知的角色 {role.strip()!r}（可用：{roles}） | unknown role {role.strip()!r} (roles: {roles})")
        mapping[header.strip()] = role.strip()
    return mapping
