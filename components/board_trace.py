"""At the end of a case: the student's reasoning trace beside the expert's (chart, table and words)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from casebook.board import BoardComparison
from components.board import change_text
from components.palette import OKABE_ITO, font_sizes, safe
from components.problem_list import plain

COLOURS = [OKABE_ITO[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky", "black")]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down", "pentagon"]
BASIS = {"source": "from this case report", "general": "general reasoning"}


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _cell(rank: int | None, struck: bool) -> str:
    return ordinal(rank) if rank is not None else ("struck" if struck else "—")


def trace_table(c: BoardComparison) -> pd.DataFrame:
    """One row per diagnosis held by either side: its place at each stage, for the student and the expert."""
    rows = []
    for dx, name, final in c.diagnoses:
        if not any(r is not None for r in c.student_ranks[dx] + c.expert_ranks[dx]) \
                and not any(c.student_struck[dx] + c.expert_struck[dx]):
            continue
        for who, ranks, struck in (("You", c.student_ranks[dx], c.student_struck[dx]),
                                   ("Expert", c.expert_ranks[dx], c.expert_struck[dx])):
            row = {"Diagnosis": name + (" (the diagnosis)" if final else ""), "Board": who}
            row.update({f"Stage {i + 1}": _cell(r, s) for (i, _), r, s in zip(c.stages, ranks, struck)})
            rows.append(row)
    return pd.DataFrame(rows)


def trace_figure(c: BoardComparison) -> go.Figure:
    sizes = font_sizes(False)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.16,
                        subplot_titles=("Your board", "The expert's board"))
    x = [f"Stage {i + 1}" for i, _ in c.stages]
    deepest = 1
    shown = 0
    for dx, name, final in c.diagnoses:
        you, expert = c.student_ranks[dx], c.expert_ranks[dx]
        if all(r is None for r in you + expert):
            continue
        colour, symbol = COLOURS[shown % len(COLOURS)], SYMBOLS[shown % len(SYMBOLS)]
        shown += 1
        label = safe(name) + (" (the diagnosis)" if final else "")
        deepest = max([deepest] + [r for r in you + expert if r is not None])
        for row, ranks in ((1, you), (2, expert)):
            fig.add_trace(go.Scatter(
                x=x, y=ranks, mode="lines+markers", name=label, legendgroup=dx, showlegend=row == 1,
                line={"color": colour, "width": 4 if final else 2, "dash": "solid" if row == 1 else "dash"},
                marker={"symbol": symbol, "size": 11, "color": colour},
                hovertemplate=f"{label}<br>%{{x}}: ranked %{{y}}<extra>{'you' if row == 1 else 'expert'}</extra>",
                connectgaps=False,
            ), row=row, col=1)
    for row in (1, 2):
        fig.update_yaxes(autorange=False, range=[deepest + 0.5, 0.5], tickmode="array", tickvals=list(range(1, deepest + 1)),
                         ticktext=[ordinal(n) for n in range(1, deepest + 1)], title_text="Rank", row=row, col=1)
    # The legend (one entry per diagnosis) sits below the plots and takes a row each on a phone: room for it.
    fig.update_layout(height=440 + 30 * shown, margin={"l": 10, "r": 10, "t": 40, "b": 10}, font={"size": sizes["base"]},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "maxheight": 0.45},
                      hovermode="closest",
                      plot_bgcolor="#ffffff")
    fig.update_xaxes(showgrid=False, tickfont={"size": sizes["tick"]})
    return fig


def render_board_trace(c: BoardComparison, *, key: str) -> None:
    st.subheader("Your reasoning beside the expert's", anchor=False)
    st.plotly_chart(trace_figure(c), key=f"{key}:chart", width="stretch",
                    config={"displayModeBar": False, "scrollZoom": False})
    st.caption(f"Chart: the place of each diagnosis on your board (top) and the expert's (bottom) at each of "
               f"{len(c.stages)} stages before the diagnosis; a gap means not held. The table has the same data "
               "(— not held, struck: struck out).")
    st.table(trace_table(c).set_index(["Diagnosis", "Board"]))

    st.markdown("**Where you converged**")
    lines = []
    if c.converged_at is not None:
        lines.append(f"From stage {c.converged_at + 1} your most likely diagnosis was the expert's.")
    else:
        lines.append("By the last stage before the diagnosis, your most likely diagnosis was not the expert's.")
    final = plain(c.final_name)
    if c.student_final_first is not None:
        lines.append(f"You first ranked {final} first at stage {c.student_final_first + 1}"
                     + (f"; the expert did at stage {c.expert_final_first + 1}." if c.expert_final_first is not None else "."))
    else:
        lines.append(f"You never ranked {final} first"
                     + (f"; the expert did from stage {c.expert_final_first + 1}." if c.expert_final_first is not None else "."))
    st.markdown(" ".join(lines))

    st.markdown("**Findings that should have moved you**")
    if c.missed:
        st.markdown("\n".join(
            f"- Stage {m.stage_index + 1} — *{plain(m.ref_label)}*: "
            + "; ".join(p for p in ("more likely: " + ", ".join(map(plain, m.promotes)) if m.promotes else "",
                                    "less likely: " + ", ".join(map(plain, m.demotes)) if m.demotes else "") if p)
            + f". {plain(m.why)} *({BASIS[m.basis]})*"
            + (" You tied a change to it, but not this way." if m.moved_otherwise else "")
            for m in c.missed))
    else:
        st.markdown("None: every finding that moved the expert moved you too, or your board already showed it.")
    if c.taken:
        st.caption(f"{c.taken} of {c.taken + len(c.missed)} findings that moved the expert moved you, "
                   "or your board already showed them.")

    st.markdown("**Premature closure**")
    if c.closure:
        for item in c.closure:
            st.warning(plain(item.text), icon=":material/warning:")
    else:
        st.markdown(f"None: you kept {final} in view and never closed on one diagnosis while the expert "
                    "still weighed several.")

    if c.ties:
        st.markdown("**Your changes and what moved you**")
        names = {dx: name for dx, name, _ in c.diagnoses}
        st.markdown("\n".join(f"- Stage {i + 1}: {change_text(ch, names.get(ch.diagnosis, ch.diagnosis), label)}"
                              for i, ch, label in c.ties))

    st.markdown("**The expert's trace, stage by stage**")
    for e in c.expert:
        parts = [f"*Stage {e.stage_index + 1}. {plain(e.title)}*" + ("" if e.own else " — no change")]
        if e.own:
            parts += [f"{n}. **{plain(name)}** — {plain(why)} *({BASIS[basis]})*"
                      for n, (name, why, basis) in enumerate(e.live, 1)]
            parts += [f"- Struck out: **{plain(name)}** — {plain(why)} *({BASIS[basis]})*" for name, why, basis in e.struck]
            parts += [f"- Moved by *{plain(what)}*: {plain(effect)}. {plain(why)} *({BASIS[basis]})*"
                      for what, effect, why, basis in e.moved_by]
        st.markdown("\n\n".join(parts[:1]) + ("\n\n" + "\n".join(parts[1:]) if parts[1:] else ""))
