"""A printable handout of a case (PDF): a worksheet for the class, or the full case with answers.

The worksheet stops before the first stage that gives an answer away — a diagnosis, treatment or
outcome stage, or any stage whose text names an answer the worksheet asks for — and leaves space to write; it names the source
by authors, journal, year and DOI but not by title, because report titles usually name the diagnosis.
The answer version has every stage, the answer to each question and why, and the full citation.
"""
from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from casebook.model import (
    Case,
    FreeText,
    MultipleChoice,
    Numeric,
    Question,
    Ranking,
    SingleChoice,
    Stage,
    StageKind,
)
from casebook.grading import normalise
from casebook.reveal import question_view
from casebook.timeline import timeline_rows
from casebook.wording import numeric_answer, reference_text, source_ids, source_where, status_words

FONTS = Path(__file__).resolve().parent / "fonts"
DISCLAIMER = "For education, not for clinical decisions."
INK = (17, 17, 17)
MUTED = (80, 80, 80)
RULE = (170, 170, 170)


REVEALING_KINDS = {StageKind.diagnosis, StageKind.treatment, StageKind.outcome}


def worksheet_stages(case: Case) -> list[Stage]:
    """The stages a class works through on paper: everything before an answer is given away.

    Cases differ in shape (some have no diagnosis stage, some treat before they name the disease),
    so the cut is not only by kind: a stage is left out too when its text names an answer the
    worksheet's questions ask for (a typed answer, or the top of a differential ranking)."""
    kept: list[Stage] = []
    answers: set[str] = set()
    for stage in case.stages:
        if kept and (stage.kind in REVEALING_KINDS or _names_any(stage, answers)):
            break
        kept.append(stage)
        for q in stage.questions:
            if isinstance(q, FreeText):
                answers |= {normalise(a) for a in q.accepted}
            elif isinstance(q, Ranking) and q.items:
                answers.add(normalise(q.items[0].text))
    return kept


def _names_any(stage: Stage, answers: set[str]) -> bool:
    shown = " " + normalise(" ".join(_texts(stage.model_dump(exclude={"questions", "speaker_notes", "expert"})))) + " "
    return any(a and f" {a} " in shown for a in answers)


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []


def handout_pdf(case: Case, *, with_answers: bool) -> bytes:
    pdf = _Handout(case, with_answers)
    pdf.cover()
    stages = case.stages if with_answers else worksheet_stages(case)
    for number, stage in enumerate(stages, 1):
        pdf.stage(number, stage)
    pdf.source()
    return bytes(pdf.output())


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """Markdown as ("para" | "item", text) blocks: soft line breaks joined, list items kept apart."""
    blocks: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        for line in chunk.splitlines():
            line = line.strip()
            item = re.match(r"^(?:[-*+]|\d+[.)])\s+(.*)", line)
            if item:
                blocks.append(("item", item.group(1)))
            elif line and blocks and blocks[-1][0] in ("para", "item") and not blocks[-1][1].endswith("\x00"):
                kind, prev = blocks[-1]
                blocks[-1] = (kind, f"{prev} {line}")
            elif line:
                blocks.append(("para", line))
        if blocks:
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + "\x00")  # a blank line ends the block
    return [(kind, t.rstrip("\x00")) for kind, t in blocks]


def _plain(text: str) -> str:
    """Case text is Markdown; the PDF gets it as plain text with bold kept (fpdf2's **bold**)."""
    text = re.sub(r"(?<!\*)\*(?!\*)([^*\n]+)(?<!\*)\*(?!\*)", r"\1", text)  # *italic* -> italic
    text = text.replace("__", "")
    return text.strip()


class _Handout(FPDF):
    def __init__(self, case: Case, with_answers: bool):
        super().__init__(format="A4")
        self.case = case
        self.with_answers = with_answers
        self.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
        self.add_font("DejaVu", "I", FONTS / "DejaVuSans-Oblique.ttf")
        self.set_title(f"{case.title} — {'answers' if with_answers else 'worksheet'}")
        self.set_author("Casebook")
        self.set_lang("en")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)
        self.add_page()

    # --- page furniture -------------------------------------------------------------------------

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(*MUTED)
        kind = "with answers" if self.with_answers else "worksheet"
        self.cell(0, 5, f"Casebook · {self.case.title} · {kind} · {DISCLAIMER} · page {self.page_no()}",
                  align="C")

    def _text(self, text: str, size: float = 10.5, style: str = "", colour=INK, height: float = 5.4) -> None:
        self.set_font("DejaVu", style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, _plain(text), markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _markdown(self, text: str) -> None:
        for kind, block in markdown_blocks(text):
            if kind == "item":
                self._bullets([block])
            else:
                self._text(block)
                self.ln(1.5)

    def _heading(self, text: str, size: float = 13) -> None:
        if self.will_page_break(24):
            self.add_page()
        self.ln(3)
        self._text(text, size=size, style="B", height=size * 0.5)
        self.ln(1)

    def _label(self, text: str) -> None:
        self.ln(1.5)
        self._text(text, size=10.5, style="B")

    def _bullets(self, lines: list[str], size: float = 10.5) -> None:
        for line in lines:
            self.set_font("DejaVu", "", size)
            self.set_text_color(*INK)
            self.cell(5, 5.4, "•")
            self.multi_cell(0, 5.4, _plain(line), markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _rule(self) -> None:
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())

    # --- content --------------------------------------------------------------------------------

    def cover(self) -> None:
        c = self.case
        self._text(c.title, size=20, style="B", height=9)
        self.ln(1)
        kind = "Case with answers" if self.with_answers else "Worksheet: answer each stage's questions before reading on"
        self._text(f"{kind} · {', '.join(c.specialty)} · {c.difficulty.value} · about {c.minutes} min",
                   size=9.5, colour=MUTED)
        self._text(f"**{DISCLAIMER}**", size=9.5)
        self.ln(2)
        self._markdown(c.summary)
        self._label("Learning objectives")
        self._bullets(c.objectives)
        self.ln(2)
        self._rule()

    def stage(self, number: int, stage: Stage) -> None:
        self._heading(f"{number}. {stage.title}")
        self._markdown(stage.narrative)
        if stage.findings:
            self._label("Findings")
            self._bullets([f.text + (f" (since {f.since})" if f.since else "") for f in stage.findings])
        if stage.labs:
            self._label("Laboratory results")
            self._labs(stage)
        if stage.tests:
            self._label("Other tests")
            self._bullets([f"**{t.name}** ({'abnormal' if t.abnormal else 'normal'}): {t.result}" for t in stage.tests])
        for study in stage.imaging:
            self._label(f"{study.modality} — {study.region}")
            details = [("Technique", study.technique), ("Plane", study.plane), ("Contrast", study.contrast)]
            for name, value in details:
                if value:
                    self._text(f"**{name}:** {value}")
            self._bullets(study.findings)
        if stage.timeline:
            self._label("Timeline")
            self._bullets([row.label + (f" ({row.when})" if row.when else "") for row in timeline_rows(stage.timeline)])
        if self.with_answers and stage.differential:
            self._label("Differential diagnosis")
            self._bullets([f"**{d.diagnosis}**{' — the diagnosis in this case' if d.final else ''}: {d.reasoning}"
                           for d in stage.differential])
        if self.with_answers and stage.teaching_points:
            self._label("Teaching points")
            self._bullets([f"{p.text} ({'from this case report' if p.basis == 'source' else 'general teaching point'})"
                           for p in stage.teaching_points])
        for n, q in enumerate(stage.questions, 1):
            self._question(n, q)

    def _labs(self, stage: Stage) -> None:
        self.set_font("DejaVu", "", 9.5)
        self.set_text_color(*INK)
        with self.table(col_widths=(30, 18, 30, 32), text_align="LEFT", line_height=5.2) as table:
            table.row(["Test", "Result", "Reference range", "Interpretation"])
            for lab in stage.labs:
                table.row([lab.name, f"{lab.value:g} {lab.unit}", reference_text(lab), status_words(lab)])

    def _question(self, n: int, q: Question) -> None:
        if self.will_page_break(40):
            self.add_page()
        self.ln(2)
        self.set_fill_color(242, 242, 242)
        self._text(f"**Question {n}** ({q.points:g} points): {q.prompt}")
        view = question_view(q, hint_taken=False, shuffle_seed=f"handout:{self.case.id}")
        if isinstance(q, (SingleChoice, MultipleChoice)):
            hint = "Choose one." if isinstance(q, SingleChoice) else "Tick every answer that applies."
            self._text(hint, size=9, colour=MUTED)
            correct = {o.id for o in q.options if o.correct}
            for oid, text in view.choices:
                mark = ("☑" if oid in correct else "☐") if self.with_answers else "☐"
                self._text(f"{mark}  {text}")
        elif isinstance(q, Ranking):
            self._text("Put these in order, most likely first:", size=9, colour=MUTED)
            for _, text in view.choices:
                self._text(f"___  {text}")
        elif not self.with_answers:
            unit = f" ({q.unit})" if isinstance(q, Numeric) and q.unit else ""
            self._text(f"Your answer{unit}:", size=9, colour=MUTED)
        if not self.with_answers:
            self.ln(9)
            self._rule()
            return
        self.ln(1)
        self._text(f"**Answer:** {self._answer(q)}", colour=INK)
        self._text(f"**Why:** {' '.join(q.explanation.split())}")
        if isinstance(q, (SingleChoice, MultipleChoice)):
            self._bullets([f"{o.text}: {o.feedback}" for o in q.options], size=9.5)
        if isinstance(q, Ranking):
            self._bullets([f"{i.text}: {i.feedback}" for i in q.items], size=9.5)
        self.ln(1)
        self._rule()

    @staticmethod
    def _answer(q: Question) -> str:
        if isinstance(q, (SingleChoice, MultipleChoice)):
            return "; ".join(o.text for o in q.options if o.correct)
        if isinstance(q, Ranking):
            return " → ".join(i.text for i in q.items)
        if isinstance(q, FreeText):
            return q.accepted[0] + (f" (also accepted: {', '.join(q.accepted[1:])})" if len(q.accepted) > 1 else "")
        assert isinstance(q, Numeric)
        return numeric_answer(q)

    def source(self) -> None:
        s = self.case.source
        self._heading("Source", size=12)
        if self.with_answers:
            self._text(f"{', '.join(s.authors)}. {s.title}. {source_where(s)}. {source_ids(s)}")
            if s.url:
                self._text(f"Read it: {s.url}", size=9.5)
        else:
            self._text(f"Adapted from {', '.join(s.authors)}. {source_where(s)}. {source_ids(s)}. "
                       "The report's title is on the answer sheet, because it names the diagnosis.")
        self._text(f"**Licence:** {s.licence} · **Written from:** the {s.material_used}", size=9.5)
        if self.with_answers:  # the note on what was changed may name the diagnosis
            self._text(f"**What Casebook changed:** {s.adapted}", size=9.5)
        self.ln(2)
        self._text(f"**{DISCLAIMER}** Patient facts come only from the source above; teaching points marked "
                   "general are general knowledge.", size=9.5)
