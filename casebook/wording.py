"""Plain-words renderings shared by the screens and the printed handout: citations, reference ranges."""
from __future__ import annotations

from casebook.model import LabResult, Numeric, Source

STATUS_WORDS = {
    "low": "below the reference range",
    "normal": "within the reference range",
    "high": "above the reference range",
    "unknown": "no reference range given",
}


def status_words(lab: LabResult) -> str:
    words = STATUS_WORDS[lab.status]
    if lab.status == "normal" and lab.value in (lab.ref_low, lab.ref_high):
        words += ", at its limit"
    return words


def reference_text(lab: LabResult) -> str:
    if lab.ref_low is not None and lab.ref_high is not None:
        ref = f"{lab.ref_low:g}–{lab.ref_high:g}"
    elif lab.ref_low is not None:
        ref = f"≥ {lab.ref_low:g}"
    elif lab.ref_high is not None:
        ref = f"≤ {lab.ref_high:g}"
    else:
        return "not given"
    return f"{ref} {lab.unit}" + (f" ({lab.population})" if lab.population else "")


def source_ids(source: Source) -> str:
    return " · ".join(x for x in [f"doi:{source.doi}" if source.doi else "",
                                  f"PMID {source.pmid}" if source.pmid else ""] if x)


def source_where(source: Source) -> str:
    return f"{source.journal} {source.year or '(year not identified)'}" + (f";{source.citation}" if source.citation else "")


def numeric_answer(q: Numeric) -> str:
    """The expected number as a reader should see it: "4", "59 ± 2 U/L"."""
    return f"{q.answer:g}" + (f" ± {q.tolerance:g}" if q.tolerance else "") + (f" {q.unit}" if q.unit else "")
