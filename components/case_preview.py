"""A whole case as its author checks it: every stage as students will see it, with each question,
its options and its answer key (the author sees everything; students see a stage only once earned)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from casebook.draft_preview import DraftPreview, StagePart
from casebook.evidence import Evidence, StageEvidence, stage_evidence
from casebook.kinds import kind_of
from casebook.model import Case, Question
from casebook.timeline import is_ordered_only
from components.presenter import render_answer_key
from components.problem_list import plain, problem_markdown
from components.stage import render_stage_content
from components.summary import render_citation
from components.timeline import render_timeline


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def render_case_preview(case: Case, *, case_dir: Path | None, key: str, evidence: Evidence | None = None) -> None:
    """`case_dir` is where the case's images are; images are shown only from inside it. With the
    case's `evidence`, each stage lists the facts it uses beside the sentence of the source they
    come from."""
    case_dir = _image_folder(case, case_dir)
    st.markdown(f"### {case.title}")
    st.caption(f"{', '.join(case.specialty)} · {', '.join(case.body_region)} · {case.difficulty.value} · "
               f"about {case.minutes} min · {len(case.stages)} stages · {len(case.questions)} "
               f"question{'s' if len(case.questions) != 1 else ''} · {case.max_points:g} point{'' if case.max_points == 1 else 's'}")
    st.markdown(case.summary)
    st.markdown("**Learning objectives**")
    st.markdown("\n".join(f"- {o}" for o in case.objectives))
    events = [e for s in case.stages for e in s.timeline]
    if events:
        st.markdown("**Timeline (as it stands at the end of the case)**")
        render_timeline(events, key=f"{key}:timeline")
    for n, stage in enumerate(case.stages, 1):
        with st.container(border=True, key=f"{key}-stage-{n}"):
            st.markdown(f"#### {n}. {stage.title}")
            st.caption(f"Stage kind: {stage.kind.value}")
            render_stage_content(stage, case_id=f"{key}:{case.id}", case_dir=case_dir)
            for q in stage.questions:
                render_question_preview(q)
            if evidence is not None:
                render_stage_evidence(stage_evidence(case, stage, evidence))
    render_citation(case.source)


def render_draft_preview(draft: DraftPreview, text: str, *, key: str) -> None:
    """An unfinished case: every stage that can be built, drawn as students will see it, with the problems
    that point inside it beside it; a note for each stage that cannot be shown, and why."""
    st.markdown(f"### {draft.title}" if draft.title else "### (no title yet)")
    if draft.summary:
        st.markdown(draft.summary)
    if draft.patient is not None and (draft.patient.age is not None or draft.patient.sex or draft.patient.description):
        who = ", ".join(str(v) for v in (draft.patient.age, draft.patient.sex, draft.patient.description) if v)
        st.caption(f"Patient: {plain(who)}")
    if draft.case_problems:
        st.caption(f"{len(draft.case_problems)} problem{'s are' if len(draft.case_problems) != 1 else ' is'} about the "
                   "case as a whole (title, source, questions…): see the list beside the editor.")
    if draft.why_no_stages:
        st.warning(draft.why_no_stages, icon=":material/visibility_off:")
        return
    events = [e for s in draft.shown for e in s.timeline]
    if events and (is_ordered_only(events) or all(e.is_dated for e in events)):
        st.markdown("**Timeline (of the stages shown)**")
        render_timeline(events, key=f"{key}:timeline")
    for part in draft.stages:
        with st.container(border=True, key=f"{key}-stage-{part.number}"):
            render_stage_part(part, text, key=key)


def render_stage_part(part: StagePart, text: str, *, key: str) -> None:
    shown, fixes = st.columns([3, 2], gap="medium")
    with shown:
        stage = part.stage
        if stage is None:
            st.markdown(f"#### {part.number}. Stage at line {part.line}: cannot be shown yet")
            st.warning(f"Why: {plain(part.why_not)}", icon=":material/visibility_off:")
        else:
            st.markdown(f"#### {part.number}. {stage.title}")
            st.caption(f"Stage kind: {stage.kind.value} · starts at line {part.line}")
            # Stage ids may still clash or be missing in a draft: number the widget keys instead.
            render_stage_content(stage, case_id=f"{key}:{part.number}", case_dir=None)
            if stage.timeline:
                st.markdown("**Timeline events of this stage**")
                st.markdown("\n".join(f"- {e.label}" + (f" ({e.when})" if e.when else "") for e in stage.timeline))
            for q in stage.questions:
                render_question_preview(q)
            if not stage.questions:
                st.caption("No question yet: a question here is what opens the next stage for students.")
        if part.left_out:
            st.warning("Left out of this preview until fixed: " + ", ".join(plain(x) for x in part.left_out),
                       icon=":material/report:")
    with fixes:
        if part.problems:
            st.markdown(f"**To fix in this stage ({len(part.problems)})**")
            st.markdown(problem_markdown(part.problems, text))
        else:
            st.markdown("**Nothing to fix in this stage.**")


def render_stage_evidence(found: StageEvidence) -> None:
    """The stage's facts with their source sentences, general knowledge as marked, and what nothing
    backs. Quotes and notes come from the evidence file and are shown as plain text."""
    with st.container(border=True):
        st.markdown("**Evidence for this stage**")
        if not (found.facts or found.general or found.unbacked):
            st.caption("This stage states no number, drug or quoted fact.")
        if found.facts:
            by_quote: dict[str, list[str]] = {}
            for f in found.facts:  # one sentence often backs several facts: show it once
                by_quote.setdefault(f.quote, []).append(f.wording)
            st.markdown("\n".join(f"- **{', '.join(plain(c) for c in claims)}** — from the source: “{plain(q)}”"
                                   for q, claims in by_quote.items()))
        if found.general:
            st.markdown("\n".join(f"- **{plain(g.claim)}** — general knowledge: {plain(g.note)}" for g in found.general))
        if found.unbacked:
            st.warning("Not backed by evidence.yaml or the source text: " + ", ".join(found.unbacked),
                       icon=":material/report:")


def render_question_preview(q: Question) -> None:
    with st.container(border=True):
        st.markdown(f"**Question — {q.points:g} point{'' if q.points == 1 else 's'}** · {kind_of(q).how_to_answer}")
        st.markdown(q.prompt)
        if q.hint:
            st.caption(f"Hint (costs {q.hint_cost:g}): {q.hint}")
        render_answer_key(q)


def _image_folder(case: Case, case_dir: Path | None) -> Path | None:
    """The case folder, if every image the text names is an image file inside it; otherwise none is shown
    (the text may come from anyone using the page, and must not reach other files on the server)."""
    if case_dir is None:
        return None
    root = case_dir.resolve()
    for stage in case.stages:
        for study in stage.imaging:
            if study.image is None:
                continue
            path = (root / study.image.file).resolve()
            if not path.is_relative_to(root) or path.suffix.lower() not in IMAGE_SUFFIXES:
                return None
    return root
