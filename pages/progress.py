"""Progress: the cases you started and finished, your scores and calibration over time, the questions you
missed, and your history to download or delete."""
import streamlit as st

from casebook.calibration import brier_by_day, brier_score, calibration
from casebook.core import new_learner_code
from casebook.history import history_csv
from components import progress as draw
from components.calibration import render_calibration
from components.pager import page_of, render_pager
from components.problem_list import plain
from pages._shared import (DISCLAIMER, LIBRARY_PAGE, STUDY_PAGE, casebook, learner_code, learner_zone, study_code_line,
                           study_code_panel)

JOURNAL_PAGE = 10

book = casebook()
learner = learner_code()
study_code_panel(learner)
learner_tz = learner_zone()  # the browser's zone, else its offset, else UTC (whatever it sends)
tz = learner_tz.tz
confirm_key = f"progress:{learner}:confirm-delete"


def start_new_code() -> None:
    code = new_learner_code()
    st.session_state["learner"] = code
    st.query_params["learner"] = code
    st.session_state.pop("progress:deleted", None)


def delete_profile() -> None:
    counts = book.delete_profile(learner)
    st.session_state.pop(confirm_key, None)
    earlier = st.session_state.get("progress:deleted")
    if counts.anything or not earlier or earlier[0] != learner:  # a second press keeps the first report
        st.session_state["progress:deleted"] = (learner, counts.words())


st.title("Your progress")
st.caption(f"Everything you have answered, saved under your study code. {DISCLAIMER}")
study_code_line(learner)

deleted = st.session_state.get("progress:deleted")
if deleted and deleted[0] == learner:
    st.success(f"Your profile {plain(deleted[0])} is deleted: {deleted[1]} removed. Nothing is saved under this code now.",
               icon=":material/delete:")
    st.markdown("Start again with a new study code, or keep this one: it starts empty.")
    st.button("Start with a new study code", key="progress:new-code", type="primary", icon=":material/person_add:",
              on_click=start_new_code)

history = book.learner_history(learner, tz)
counts = book.progress.profile_counts(learner)

if history.empty:
    st.info("No progress yet — open a case from the Library.", icon=":material/inbox:")
    st.page_link(LIBRARY_PAGE, label="Go to the case library", icon=":material/library_books:",
                 query_params={"learner": learner})
else:
    specialties = history.specialties
    chosen = None
    if len(specialties) > 1:
        chosen = st.pills("Show one specialty", specialties, key=f"progress:{learner}:specialty",
                          help="Choose a specialty to see only its cases; choose it again to see all.")
    shown = history.only(chosen)
    st.caption(f"Times are in your time zone ({learner_tz.label}).")

    with st.container(horizontal=True, gap="medium", key="progress-totals"):  # two by two on a phone
        for label, value in [("Cases started", shown.started), ("Cases finished", shown.finished),
                             ("Questions answered", len(shown.rows)),
                             ("Questions missed", sum(1 for r in shown.rows if r.missed))]:
            st.metric(label, value, width=130)

    st.subheader("Your cases", anchor=False)
    draw.cases_table(shown.cases)

    st.subheader("Score per case", anchor=False)
    if shown.case_scores:
        st.caption("Each point is one finished attempt at a case; starting a case again adds a point.")
        draw.case_scores(shown.case_scores, key=f"progress:{learner}:case-scores")
    else:
        st.caption("Finish a case to see its score here.")

    st.subheader("Score per specialty over time", anchor=False)
    st.caption("The share of the points you earned on each day's answers, finished cases or not.")
    draw.specialty_scores(shown.specialty_scores(), key=f"progress:{learner}:specialty-scores")

    st.subheader("Calibration: how sure you were against how often you were right", anchor=False)
    cal = calibration(shown.records)
    if cal.answered:
        st.caption("Points on the dashed line mean your confidence matches your results; below it, you were "
                   "more sure than right; above it, you knew more than you thought. Bigger points, more answers.")
        draw.reliability(cal, key=f"progress:{learner}:reliability")
        st.markdown(cal.verdict)
        overall = brier_score(shown.records)
        st.markdown(f"**Brier score over time** — all your rated answers: **{overall:.2f}** "
                    "(0 is a perfect match of confidence and results; lower is better).")
        draw.brier(brier_by_day(shown.records, tz), key=f"progress:{learner}:brier")
    else:
        render_calibration(cal, key=f"progress:{learner}:calibration")

    st.subheader("Mistake journal", anchor=False)
    journal = shown.journal()
    if not journal:
        st.success("No missed questions here. Well done.", icon=":material/celebration:")
    else:
        st.caption(f"{len(journal)} question{'s' if len(journal) != 1 else ''} you got wrong, partly wrong or gave up "
                   "on, newest first. Each links back to its stage.")
        page = page_of(journal, key=f"progress:{learner}:journal", reset_on=chosen, size=JOURNAL_PAGE)
        for entry in page.items:
            row = entry.row
            params = {"case": row.case_id, "learner": learner}
            if entry.can_open_stage:
                params["stage"] = str(row.stage_index + 1)
            draw.journal_entry(entry, link=lambda label, icon, params=params: st.page_link(
                STUDY_PAGE, label=label, icon=icon, query_params=params))
        render_pager(page, key=f"progress:{learner}:journal", noun="missed questions")

if counts.anything:
    st.subheader("Your data", anchor=False)
    if not history.empty:
        st.download_button("Download my history (CSV)", history_csv(history), key=f"progress:{learner}:csv",
                           file_name=f"casebook-history-{learner}.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore")
        st.caption("One row per answer: case, stage, question, your answer, points, confidence and time.")
    if not st.session_state.get(confirm_key):
        st.button("Delete my profile…", key=f"progress:{learner}:delete", icon=":material/delete:",
                  on_click=lambda: st.session_state.__setitem__(confirm_key, True))
    else:
        with st.container(border=True, key="progress-confirm-delete"):
            st.warning(f"Delete everything saved under {plain(learner)}: {counts.words()}? This cannot be undone. "
                       "Download your history first if you want to keep it.", icon=":material/warning:")
            yes, no = st.columns(2)
            yes.button("Yes, delete my profile", key=f"progress:{learner}:delete-yes", type="primary",
                       width="stretch", on_click=delete_profile)
            no.button("Keep my profile", key=f"progress:{learner}:delete-no", width="stretch",
                      on_click=lambda: st.session_state.pop(confirm_key, None))

st.divider()
st.caption(DISCLAIMER)
