"""Frameworks and checklists: the built-in ones and any a user adds.

Every framework is one CSV file in the same format (docs/frameworks.md), whether it
ships with riskdesk (NIST AI RMF, OWASP, EU AI Act, MIT…) or is a user's own — a
state's model AI policy for school districts, or a licensed ISO/IEC 42001 control
list riskdesk may not ship itself. Loading validates everything and names the file,
row and column of the first problem.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from riskdesk.catalogue.csvfiles import CatalogueFileError, Table, read_table
from riskdesk.catalogue.refs import normalise_ref
from riskdesk.paths import resource_path

CANONICAL_COLUMNS: tuple[str, ...] = (
    "framework_id",
    "framework_name",
    "version",
    "source",
    "licence",
    "item_ref",
    "parent_ref",
    "title",
    "text",
    "kind",
)
_FRAMEWORK_COLUMNS = CANONICAL_COLUMNS[:5]

# Header names other tools use, so a file like ISO's "part,id,title,parent_id,level"
# loads as it is.
_ALIASES = {
    "id": "item_ref",
    "ref": "item_ref",
    "item_id": "item_ref",
    "reference": "item_ref",
    "parent": "parent_ref",
    "parent_id": "parent_ref",
    "level": "kind",
    "type": "kind",
    "item_kind": "kind",
    "name": "title",
    "heading": "title",
    "description": "text",
    "requirement": "text",
    "statement": "text",
    "definition": "text",
    "license": "licence",
    "framework_version": "version",
}

# Built-in frameworks in display order. Other CSVs in resources/frameworks/ are the
# libraries (risk, control, rules, crosswalk).
BUILTIN_FILES: tuple[str, ...] = (
    "nist_ai_rmf_1_0.csv",
    "nist_ai_600_1.csv",
    "owasp_llm_top10_2025.csv",
    "owasp_agentic_top10_2026.csv",
    "eu_ai_act_article_5.csv",
    "eu_ai_act_annex_iii.csv",
    "mit_ai_risk_domains_v3.csv",
)

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_REF_LENGTH = 100
TITLE_LENGTH = 100


class FrameworkFileError(CatalogueFileError):
    """A framework file is malformed; ``path``, ``row`` and ``column`` say where."""


@dataclass(frozen=True)
class FrameworkItem:
    """One requirement, risk, control, area… of a framework."""

    ref: str  # unique in its framework, e.g. "GOVERN 1.1", "LLM01", "Annex III 3(b)"
    title: str
    text: str = ""
    kind: str = "item"  # e.g. function/category/subcategory, risk, domain/subdomain
    parent_ref: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # columns riskdesk does not use, kept for export


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str = ""
    source: str = ""
    licence: str = ""
    items: tuple[FrameworkItem, ...] = ()
    path: Path | None = field(default=None, compare=False)
    builtin: bool = field(default=False, compare=False)

    def __iter__(self) -> Iterator[FrameworkItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        # A framework is a thing, not a container: `if framework:` must not depend
        # on whether it has items.
        return True

    @functools.cached_property
    def _by_ref(self) -> dict[str, FrameworkItem]:
        return {normalise_ref(i.ref): i for i in self.items}

    @functools.cached_property
    def _parents(self) -> frozenset[str]:
        return frozenset(normalise_ref(i.parent_ref) for i in self.items if i.parent_ref)

    def item(self, ref: str) -> FrameworkItem | None:
        """The item with this ref (any case, any spacing), or None."""
        return self._by_ref.get(normalise_ref(ref))

    def children(self, ref: str) -> tuple[FrameworkItem, ...]:
        key = normalise_ref(ref)
        return tuple(i for i in self.items if normalise_ref(i.parent_ref) == key)

    def roots(self) -> tuple[FrameworkItem, ...]:
        return tuple(i for i in self.items if not i.parent_ref)

    def leaves(self) -> tuple[FrameworkItem, ...]:
        """Items nothing else hangs under: the ones coverage is counted over."""
        return tuple(i for i in self.items if normalise_ref(i.ref) not in self._parents)

    def count(self, kind: str | None = None) -> int:
        return sum(1 for i in self.items if kind is None or i.kind == kind)

    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.items:
            out[i.kind] = out.get(i.kind, 0) + 1
        return out


def builtin_dir() -> Path:
    """Where the shipped framework and library files live."""
    return resource_path("frameworks")


@functools.cache
def _builtin() -> tuple[Framework, ...]:
    base = builtin_dir()
    return tuple(_load(base / name, builtin=True) for name in BUILTIN_FILES)


def load_builtin_frameworks() -> list[Framework]:
    """The frameworks shipped with riskdesk, in display order (read once, then cached)."""
    return list(_builtin())


def builtin_framework(framework_id: str) -> Framework:
    """A built-in framework by id; ``KeyError`` if there is none."""
    for fw in _builtin():
        if fw.id == framework_id.casefold():
            return fw
    raise KeyError(framework_id)


def find_item(
    ref: str, frameworks: list[Framework] | tuple[Framework, ...] | None = None
) -> tuple[Framework, FrameworkItem] | None:
    """Which framework an item ref belongs to (built-ins unless ``frameworks`` given)."""
    for fw in _builtin() if frameworks is None else frameworks:
        item = fw.item(ref)
        if item is not None:
            return fw, item
    return None


def load_framework_file(
    path: str | Path,
    *,
    framework_id: str | None = None,
    framework_name: str | None = None,
) -> Framework:
    """Load and validate one framework CSV (see docs/frameworks.md).

    ``framework_id`` / ``framework_name`` are used when the file has no such
    columns (e.g. a control list exported from another tool); failing both, they
    are made from the file name. Raises :class:`FrameworkFileError`.
    """
    return _load(Path(path), framework_id=framework_id, framework_name=framework_name)


def load_framework_dir(path: str | Path) -> tuple[list[Framework], list[FrameworkFileError]]:
    """Every ``*.csv`` framework in a folder; broken files are returned, not raised,
    so one bad file does not hide the others."""
    frameworks: list[Framework] = []
    errors: list[FrameworkFileError] = []
    for file in sorted(Path(path).glob("*.csv")):
        try:
            frameworks.append(load_framework_file(file))
        except FrameworkFileError as exc:
            errors.append(exc)
    return frameworks, errors


def write_framework_file(framework: Framework, path: str | Path) -> Path:
    """Write ``framework`` in the canonical format (UTF-8 with BOM, so Excel reads it).

    Framework-level values are repeated on every row so the file survives sorting
    in a spreadsheet; extra columns from the original file are kept at the end.
    """
    path = Path(path)
    extra_columns: list[str] = []
    for item in framework.items:
        for key, _ in item.extra:
            if key not in extra_columns:
                extra_columns.append(key)
    head = [framework.id, framework.name, framework.version, framework.source, framework.licence]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([*CANONICAL_COLUMNS, *extra_columns])
        for item in framework.items:
            extra = dict(item.extra)
            writer.writerow(
                [
                    *head,
                    item.ref,
                    item.parent_ref,
                    item.title,
                    item.text,
                    item.kind,
                    *(extra.get(c, "") for c in extra_columns),
                ]
            )
    return path


# Loading ----------------------------------------------------------------------------


def short_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title for items that have only a statement (the AI RMF has no headings)."""
    text = " ".join(text.split())
    sentence = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence.rstrip(".;:")
    cut = sentence[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.casefold()).strip("-._")
    return slug[:64] or "framework"


def _framework_meta(
    table: Table, framework_id: str | None, framework_name: str | None
) -> dict[str, str]:
    """The framework-level values: first non-blank per column; later rows must agree."""
    meta: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        for column in _FRAMEWORK_COLUMNS:
            value = cells.get(column, "")
            if not value:
                continue
            if column not in meta:
                meta[column], first_row[column] = value, number
            elif value != meta[column]:
                raise FrameworkFileError(
                    table.path,
                    f"{value!r} differs from {meta[column]!r} in row {first_row[column]}; "
                    "one file holds one framework (leave the cell blank or repeat the value)",
                    row=number,
                    column=column,
                )
    stem = table.path.name.removesuffix(".gz").removesuffix(".csv")
    if "framework_id" not in meta:
        meta["framework_id"] = framework_id or _slug(stem)
        first_row["framework_id"] = 0
    meta["framework_id"] = meta["framework_id"].casefold()
    if not _ID_PATTERN.match(meta["framework_id"]):
        raise FrameworkFileError(
            table.path,
            f"{meta['framework_id']!r} is not a usable id: use letters, digits, '.', '-' "
            "or '_', no spaces (e.g. 'ca-k12-ai-policy')",
            row=first_row["framework_id"] or None,
            column="framework_id",
        )
    if "framework_name" not in meta:
        meta["framework_name"] = framework_name or stem.replace("_", " ")
    return meta


def _load(
    path: Path,
    *,
    builtin: bool = False,
    framework_id: str | None = None,
    framework_name: str | None = None,
) -> Framework:
    try:
        table = read_table(
            path,
            required=("item_ref",),
            optional=CANONICAL_COLUMNS,
            aliases=_ALIASES,
            allow_extra=True,
        )
    except CatalogueFileError as exc:
        raise FrameworkFileError(exc.path, exc.detail, row=exc.row, column=exc.column) from exc
    if "title" not in table.columns and "text" not in table.columns:
        raise FrameworkFileError(path, "needs a 'title' or a 'text' column (or both)", row=1)
    if not table.rows:
        raise FrameworkFileError(path, "has a header but no items")

    meta = _framework_meta(table, framework_id, framework_name)
    extra_columns = [c for c in table.columns if c not in CANONICAL_COLUMNS]
    items: list[FrameworkItem] = []
    seen: dict[str, int] = {}
    rows_by_ref: dict[str, int] = {}
    for number, cells in table.rows:
        ref = " ".join(cells["item_ref"].split())
        if not ref:
            raise FrameworkFileError(path, "is empty; every item needs a ref", number, "item_ref")
        if "," in ref or ";" in ref:
            raise FrameworkFileError(
                path,
                f"{ref!r} contains ',' or ';', which separate refs in the register",
                number,
                "item_ref",
            )
        if len(ref) > MAX_REF_LENGTH:
            raise FrameworkFileError(
                path, f"is longer than {MAX_REF_LENGTH} characters", number, "item_ref"
            )
        key = normalise_ref(ref)
        if key in seen:
            raise FrameworkFileError(
                path, f"{ref!r} is used twice (first in row {seen[key]})", number, "item_ref"
            )
        seen[key] = number
        rows_by_ref[key] = number
        title = " ".join(cells.get("title", "").split())
        text = cells.get("text", "").strip()
        if not title and not text:
            raise FrameworkFileError(path, "item has neither a title nor a text", number, "title")
        kind = re.sub(r"[\s-]+", "_", cells.get("kind", "").strip().casefold()) or "item"
        if not _KIND_PATTERN.match(kind):
            raise FrameworkFileError(
                path,
                f"{cells.get('kind')!r} is not a usable kind: one word, letters first "
                "(e.g. 'control', 'subcategory')",
                number,
                "kind",
            )
        items.append(
            FrameworkItem(
                ref=ref,
                title=title or short_title(text),
                text=text,
                kind=kind,
                parent_ref=" ".join(cells.get("parent_ref", "").split()),
                extra=tuple((c, cells[c]) for c in extra_columns if cells.get(c)),
            )
        )
    _check_parents(path, items, rows_by_ref)
    return Framework(
        id=meta["framework_id"],
        name=meta["framework_name"],
        version=meta.get("version", ""),
        source=meta.get("source", ""),
        licence=meta.get("licence", ""),
        items=tuple(items),
        path=path,
        builtin=builtin,
    )


def _check_parents(path: Path, items: list[FrameworkItem], rows: dict[str, int]) -> None:
    parent_of = {normalise_ref(i.ref): normalise_ref(i.parent_ref) for i in items}
    for item in items:
        if not item.parent_ref:
            continue
        key = normalise_ref(item.ref)
        row = rows[key]
        if parent_of[key] not in parent_of:
            raise FrameworkFileError(
                path, f"{item.parent_ref!r} is not an item_ref in this file", row, "parent_ref"
            )
        seen = {key}
        step = parent_of[key]
        while step:
            if step in seen:
                raise FrameworkFileError(
                    path, f"{item.ref!r} is its own ancestor (parent loop)", row, "parent_ref"
                )
            seen.add(step)
            step = parent_of.get(step, "")
